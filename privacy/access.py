"""The doors of the data-protection pages. Staff and the data-protection officer (DPO) of a
provider see its pages; a learner restricted after an erasure request only the DPO. Anyone
else (another provider's staff, a teacher, a learner, a caseworker) gets 404."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from people.models import Learner, Organisation, Role, User
from privacy.selectors import privacy_provider_ids


def learner_self(user: User) -> Learner:
    """The learner record behind a learner's own login; 404 for anyone else."""
    learner = getattr(user, "learner", None) if user.is_authenticated else None
    if learner is None or learner.restricted_at is not None:
        raise Http404
    return learner


def privacy_providers(user: User) -> list[Organisation]:
    """The providers whose data-protection pages the user may open; 404 when none."""
    if not user.is_authenticated:
        raise Http404
    ids = privacy_provider_ids(user)
    if not ids:
        raise Http404
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def provider_for_privacy(*, user: User, pk: int) -> Organisation:
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(Organisation, pk=pk, pk__in=privacy_provider_ids(user))


def learner_for_privacy(*, user: User, pk: int) -> Learner:
    """A learner for the data-protection page: staff of the provider see visible learners, the
    DPO also restricted ones; 404 otherwise."""
    if not user.is_authenticated:
        raise Http404
    learner = get_object_or_404(Learner.all_objects.select_related("provider", "user"), pk=pk)
    if learner.restricted_at is None:
        if learner.provider_id in privacy_provider_ids(user):
            return learner
    elif learner.provider_id in user.provider_ids(role=Role.DATA_PROTECTION_OFFICER):
        return learner
    raise Http404


def learner_for_erasure(*, user: User, pk: int) -> Learner:
    """Erasure is a staff action: staff of the learner's provider, visible learners only."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        Learner.objects.select_related("provider"),
        pk=pk,
        provider_id__in=user.provider_ids(role=Role.STAFF),
    )


def public_provider(pk: int) -> Organisation:
    return get_object_or_404(Organisation, pk=pk, kind=Organisation.Kind.PROVIDER)
