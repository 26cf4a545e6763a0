"""Reads of the coordinators' pages: the four figures of the dashboard (unfilled shifts in the
next seven days, requirements expiring, tandems at risk, waiting learners without a buddy) and the lists
behind them. Each figure is one query whatever the data size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypedDict

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django_stubs_ext import WithAnnotations

from core.retention import unrestricted
from courses.models import Session
from enrolment.models import Enrolment, WaitlistWish
from people.models import Learner
from volunteers.models import (
    RequirementRecord,
    Shift,
    ShiftAssignment,
    Tandem,
    Volunteer,
)

EXPIRY_WINDOW_DAYS = 30


def coming_week(day: date) -> tuple[date, date]:
    """Today and the six days after it: the week a coordinator still has to fill (on a
    Saturday, the calendar week's Thursday café is past, next Thursday's is not)."""
    return day, day + timedelta(days=6)


class ShiftCounts(TypedDict):
    taken: int  # places claimed


def shifts_with_counts(qs: QuerySet[Shift]) -> QuerySet[WithAnnotations[Shift, ShiftCounts]]:
    return qs.annotate(
        taken=Count("assignments", filter=Q(assignments__status=ShiftAssignment.Status.CLAIMED))
    )


def unfilled_shifts(*, provider_ids: Iterable[int], start: date, end: date) -> QuerySet[Shift]:
    """Shifts from ``start`` to ``end`` (not cancelled) with places nobody has taken yet."""
    return (
        shifts_with_counts(
            Shift.objects.filter(
                activity__course__provider_id__in=list(provider_ids),
                session__date__gte=start,
                session__date__lte=end,
            ).exclude(session__status=Session.Status.CANCELLED)
        )
        .filter(taken__lt=F("places"))
        .select_related("session", "activity__course__location")
        .order_by("session__date", "session__start_time", "pk")
    )


def expiring_requirements(
    *, provider_ids: Iterable[int], on: date, within_days: int = EXPIRY_WINDOW_DAYS
) -> QuerySet[RequirementRecord]:
    """The latest record of each requirement of active or paused volunteers that expires within
    ``within_days`` or has expired (a newer record replaces an old one)."""
    newer = RequirementRecord.objects.filter(
        volunteer=OuterRef("volunteer"),
        code=OuterRef("code"),
        fulfilled_on__gt=OuterRef("fulfilled_on"),
    )
    return (
        RequirementRecord.objects.filter(
            volunteer__provider_id__in=list(provider_ids),
            volunteer__status__in=[Volunteer.Status.ACTIVE, Volunteer.Status.PAUSED],
            expires_on__isnull=False,
            expires_on__lte=on + timedelta(days=within_days),
        )
        .exclude(Exists(newer))
        .select_related("volunteer__user")
        .order_by("expires_on", "pk")
    )


def tandems_at_risk(*, provider_ids: Iterable[int]) -> QuerySet[Tandem]:
    """Running tandems flagged as stalled (no meeting or answer for the provider's stall time,
    or the volunteer answered that they want to stop)."""
    return (
        unrestricted(Tandem.objects)
        .filter(
            provider_id__in=list(provider_ids),
            status=Tandem.Status.ACTIVE,
            stalled_since__isnull=False,
        )
        .select_related("volunteer__user", "learner")
        .order_by("stalled_since", "pk")
    )


def waiting_without_buddy(*, provider_ids: Iterable[int]) -> QuerySet[Learner]:
    """Learners on a waiting list (a course's, or an active wish) without a running tandem."""
    waiting = Learner.objects.filter(
        Q(enrolments__status=Enrolment.Status.WAITLISTED)
        | Q(wishes__status=WaitlistWish.Status.ACTIVE)
    ).values("pk")
    buddy = Tandem.objects.filter(learner=OuterRef("pk"), status=Tandem.Status.ACTIVE)
    return (
        Learner.objects.filter(provider_id__in=list(provider_ids), pk__in=waiting)
        .exclude(Exists(buddy))
        .order_by("pk")
    )


@dataclass(frozen=True)
class Overview:
    unfilled_shifts: int
    expiring_requirements: int
    tandems_at_risk: int
    waiting_without_buddy: int
    applications: int


def overview(*, provider_ids: Iterable[int], today: date) -> Overview:
    """The figures of the coordinators' dashboard tiles: five queries."""
    ids = list(provider_ids)
    start, end = coming_week(today)
    return Overview(
        unfilled_shifts=unfilled_shifts(provider_ids=ids, start=start, end=end).count(),
        expiring_requirements=expiring_requirements(provider_ids=ids, on=today).count(),
        tandems_at_risk=tandems_at_risk(provider_ids=ids).count(),
        waiting_without_buddy=waiting_without_buddy(provider_ids=ids).count(),
        applications=Volunteer.objects.filter(
            provider_id__in=ids, status=Volunteer.Status.APPLIED
        ).count(),
    )
