"""The doors of the Jobcenter side: a caseworker's Jobcenter and the enrolments it may see.

A caseworker sees a learner only through a valid link of their own Jobcenter; anything else
answers 404, so a client of another Jobcenter cannot be told from a missing one.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from enrolment.models import Enrolment
from jobcenter.models import JobcenterLink
from people.models import Organisation, Role, User


def managed_jobcenter_ids(user: User | None) -> list[int] | None:
    """Jobcenters whose keys, webhooks, feed and access log the user administers (``None``: all).

    Superusers and commands (``user is None``) administer all. Otherwise: the Jobcenter's own
    administrators, and network coordinators for the Jobcenters of their network. Provider staff
    never administer a Jobcenter by being in its network: a key would read other providers'
    learners.
    """
    if user is None or user.is_superuser:
        return None
    if not user.is_authenticated or not user.is_active:
        return []
    own = user.organisation_ids(role=Role.JOBCENTER_ADMIN, kind=Organisation.Kind.JOBCENTER)
    coordinated = Organisation.objects.filter(
        pk__in=user.organisation_ids(role=Role.NETWORK_COORDINATOR), network__isnull=False
    ).values("network_id")
    networked = Organisation.objects.filter(
        kind=Organisation.Kind.JOBCENTER, network_id__in=coordinated
    ).values_list("pk", flat=True)
    return sorted(set(own) | set(networked))


def may_manage_jobcenter(user: User | None, jobcenter: Organisation) -> bool:
    ids = managed_jobcenter_ids(user)
    return ids is None or jobcenter.pk in ids


def jobcenter_for_caseworker(*, user: User) -> Organisation:
    """The caseworker's Jobcenter (the first, if they work for several); 403 for anyone else."""
    ids = sorted(user.jobcenter_ids())
    if not ids:
        raise PermissionDenied
    return Organisation.objects.get(pk=ids[0])


def enrolment_for_caseworker(*, user: User, pk: int, part: str = "enrolments") -> Enrolment:
    """The enrolment if the caseworker's Jobcenter has a valid link to the learner whose scope
    includes ``part``; 404 otherwise."""
    jobcenter = jobcenter_for_caseworker(user=user)
    links = JobcenterLink.objects.valid().filter(jobcenter=jobcenter)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("learner", "course__course_type", "course__provider"),
        pk=pk,
        learner_id__in=links.values("learner_id"),
    )
    if not any(part in link.parts for link in links.filter(learner_id=enrolment.learner_id)):
        raise Http404
    return enrolment
