"""Reads about referrals: whom an organisation may refer to, the sender's and the receiver's
lists, duplicate candidates and the stall figures. Lists pull what they show in fixed queries."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from core.retention import unrestricted
from jobcenter.models import JobcenterLink
from people.models import Learner, Organisation, User
from referrals.models import Consent, DataItem, Referral


def receivers_for(organisation: Organisation) -> QuerySet[Organisation]:
    """The providers an organisation may refer to: the providers of its network (and itself,
    when it is a provider: counselling and courses under one roof)."""
    q = Q(pk=organisation.pk) if organisation.kind == Organisation.Kind.PROVIDER else Q(pk=None)
    if organisation.network_id:
        q |= Q(network_id=organisation.network_id)
    return Organisation.objects.filter(q, kind=Organisation.Kind.PROVIDER).order_by("name")


def _with_consents(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.prefetch_related(
        Prefetch("consents", queryset=Consent.objects.order_by("-given_at", "-pk"))
    )


def sent_by(user: User) -> QuerySet[Referral]:
    """The referrals a user may follow as sender: a counsellor their own, a caseworker their
    Jobcenter's."""
    from people.models import Role

    own = Q(sender=user, sender_organisation_id__in=user.provider_ids(role=Role.COUNSELLOR))
    jobcenter = Q(sender_organisation_id__in=user.jobcenter_ids())
    return Referral.objects.filter(own | jobcenter).select_related(
        "receiver", "receiver_location", "sender_organisation", "sender"
    )


def inbox(provider_ids: list[int]) -> QuerySet[Referral]:
    """Referrals received by these providers, with what the list shows."""
    qs = Referral.objects.filter(receiver_id__in=provider_ids).select_related(
        "receiver", "receiver_location", "sender_organisation", "sender", "learner"
    )
    # a learner restricted after an erasure request is seen by the DPO only
    return _with_consents(unrestricted(qs))


def duplicate_candidates(referral: Referral) -> list[Learner]:
    """Learner records at the receiver that are probably the referred person: the same birth
    date and name (either order, any case), or the sending Jobcenter's customer number."""
    if DataItem.IDENTITY not in referral.shared_items() or referral.date_of_birth is None:
        return []
    first, last = referral.first_name.strip(), referral.last_name.strip()
    by_name = Q(date_of_birth=referral.date_of_birth) & (
        Q(first_name__iexact=first, last_name__iexact=last)
        | Q(first_name__iexact=last, last_name__iexact=first)
    )
    q = by_name
    if referral.customer_number:
        linked = JobcenterLink.objects.filter(
            jobcenter_id=referral.sender_organisation_id,
            customer_number=referral.customer_number,
            ended_at__isnull=True,
        ).values("learner_id")
        q |= Q(pk__in=linked)
    qs = unrestricted(Learner.objects.filter(q, provider_id=referral.receiver_id))
    return list(qs.order_by("last_name", "first_name", "pk")[:10])


def tile_counts(provider_ids: list[int]) -> tuple[int, int]:
    """(new, stalled) referrals received by these providers, in one query."""
    from django.db.models import Count

    figures = Referral.objects.filter(receiver_id__in=provider_ids).aggregate(
        new=Count("pk", filter=Q(status="sent")),
        stalled=Count("pk", filter=Q(stalled_at__isnull=False) & ~Q(status="closed")),
    )
    return figures["new"], figures["stalled"]


def progress_for_sender(referral: Referral) -> list[dict]:
    """The course(s) and dates of the referred person at the receiver, for the sender, only when
    the person consented to it (``DataItem.PROGRESS``); never attendance or notes."""
    from enrolment.models import Enrolment

    consent = referral.active_consent()
    if referral.learner_id is None or consent is None or DataItem.PROGRESS not in consent.items:
        return []
    enrolments = (
        Enrolment.objects.filter(
            learner_id=referral.learner_id,
            course__provider_id=referral.receiver_id,
            status__in=[
                Enrolment.Status.WAITLISTED,
                Enrolment.Status.OFFERED,
                Enrolment.Status.ENROLLED,
                Enrolment.Status.COMPLETED,
            ],
        )
        .select_related("course__course_type")
        .order_by("-pk")[:5]
    )
    return [
        {
            "course": str(e.course),
            "status": e.get_status_display(),
            "start_date": e.start_date or e.course.start_date,
            "end_date": e.course.end_date,
        }
        for e in enrolments
    ]
