"""Reads of the volunteer's own pages, and of the public "Practise German" page.

A volunteer never receives a learner record: ``buddies_for`` builds a ``BuddyView`` with the
learner's first name, languages, level and the agreed contact, and nothing else, from tandems
whose learner consented and has not withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Prefetch, Q, QuerySet

from core.retention import unrestricted
from courses.models import Session
from people.models import Learner, User
from volunteers.languages import language_label
from volunteers.models import (
    Activity,
    Shift,
    ShiftAssignment,
    Tandem,
    TandemCheckin,
    TandemMeeting,
)
from volunteers.selectors.matching import learner_languages, learner_level, with_level_facts
from volunteers.selectors.staff import shifts_with_counts

SHIFTS_AHEAD_DAYS = 42
PRACTICE_AHEAD_DAYS = 42


@dataclass(frozen=True)
class BuddyView:
    """What a volunteer may see of their language buddy."""

    tandem_id: int
    first_name: str
    languages: tuple[str, ...]
    level: str
    contact_channel: str
    contact_detail: str
    meeting_times: str
    started_on: date | None
    open_checkin: TandemCheckin | None
    meetings: tuple[TandemMeeting, ...]


def _buddy(tandem: Tandem) -> BuddyView:
    learner = tandem.learner
    first, codes = learner_languages(learner)
    ordered = sorted(codes, key=lambda c: (c != first, c))
    checkins = [c for c in tandem.checkins.all() if c.answered_at is None]
    return BuddyView(
        tandem_id=tandem.pk,
        first_name=learner.first_name,
        languages=tuple(language_label(c) for c in ordered),
        level=learner_level(learner),
        contact_channel=tandem.get_contact_channel_display(),
        contact_detail=tandem.contact_detail,
        meeting_times=tandem.meeting_times,
        started_on=tandem.started_on,
        open_checkin=checkins[0] if checkins else None,
        meetings=tuple(tandem.meetings.all()[:5]),
    )


def _visible_tandems(user: User) -> QuerySet[Tandem]:
    return (
        unrestricted(Tandem.objects.visible_to_volunteer())
        .filter(volunteer__user_id=user.pk)
        .prefetch_related(
            Prefetch("checkins", queryset=TandemCheckin.objects.order_by("-asked_on", "-pk")),
            Prefetch("meetings", queryset=TandemMeeting.objects.order_by("-date", "-pk")),
            Prefetch("learner", queryset=with_level_facts(Learner.objects.all())),
        )
        .order_by("started_on", "pk")
    )


def buddies_for(user: User) -> list[BuddyView]:
    """The volunteer's language buddies who consented; a withdrawn consent removes one at once."""
    return [_buddy(t) for t in _visible_tandems(user)]


def buddy_for(user: User, tandem: Tandem) -> BuddyView:
    return _buddy(_visible_tandems(user).get(pk=tandem.pk))


def open_shifts(*, user: User, today: date, days: int = SHIFTS_AHEAD_DAYS) -> QuerySet[Shift]:
    """Shifts with free places at the providers the user actively volunteers for, from today,
    that the user has not taken."""
    mine = ShiftAssignment.objects.filter(
        volunteer__user_id=user.pk, status=ShiftAssignment.Status.CLAIMED
    ).values("shift_id")
    return (
        shifts_with_counts(
            Shift.objects.filter(
                activity__course__provider__volunteers__user_id=user.pk,
                activity__course__provider__volunteers__status="active",
                session__date__gte=today,
                session__date__lte=today + timedelta(days=days),
            )
            .exclude(session__status=Session.Status.CANCELLED)
            .exclude(pk__in=mine)
        )
        .filter(taken__lt=F("places"))
        .select_related("session", "activity__course__location", "activity__course__provider")
        .order_by("session__date", "session__start_time", "pk")
    )


def my_shifts(*, user: User, today: date) -> QuerySet[ShiftAssignment]:
    """The user's claimed shifts from a week ago on (recent ones show their check-in)."""
    return (
        ShiftAssignment.objects.filter(
            volunteer__user_id=user.pk,
            status=ShiftAssignment.Status.CLAIMED,
            shift__session__date__gte=today - timedelta(days=7),
        )
        .select_related(
            "shift__session", "shift__activity__course__location", "volunteer__provider"
        )
        .order_by("shift__session__date", "shift__session__start_time", "pk")
    )


@dataclass(frozen=True)
class PracticeDate:
    session: Session
    activity: Activity
    places_left: int | None  # None: no sign-up, just come


def practice_dates(*, today: date, days: int = PRACTICE_AHEAD_DAYS) -> list[PracticeDate]:
    """Dates of public activities (language cafés, homework help, events) from today: one query."""
    sessions = (
        Session.objects.filter(
            course__volunteer_activity__is_public=True,
            date__gte=today,
            date__lte=today + timedelta(days=days),
        )
        .exclude(status=Session.Status.CANCELLED)
        .select_related("course__volunteer_activity", "course__location", "course__provider")
        .annotate(
            signed_up=Count(
                "activity_signups", filter=Q(activity_signups__cancelled_at__isnull=True)
            )
        )
        .order_by("date", "start_time", "pk")
    )
    out = []
    for session in sessions:
        activity = session.course.volunteer_activity
        places = (
            max(activity.learner_places - session.signed_up, 0)
            if activity.learner_signup and activity.learner_places is not None
            else None
        )
        out.append(PracticeDate(session, activity, places))
    return out
