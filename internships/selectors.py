"""Reads for internships: the one door to employers and placements, clashes and suggestions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import translation

from courses.models import Level, Session
from enrolment.models import Enrolment
from internships.access import employers_for_staff, wishes_for_staff
from internships.models import Employer, InternshipWish, Placement
from people.models import User

ACTIVE_STATUSES = (Placement.Status.AGREED, Placement.Status.RUNNING)


# Clashes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    date: date
    start_time: time
    end_time: time
    course_id: int
    course: str


def _overlaps(placement: Placement, start: time, end: time) -> bool:
    if placement.daily_start is None or placement.daily_end is None:
        return True  # no daily times given: the whole working day counts
    return placement.daily_start < end and start < placement.daily_end


def placement_clashes(
    placement: Placement,
    *,
    start_date: date | None = None,
    end_date: date | None = None,
    weekdays: list[int] | None = None,
) -> list[Clash]:
    """Course sessions of the learner's current courses that fall on the placement's working time.

    Only held sessions of enrolled courses count; with daily times the hours must overlap, without
    them any session on a working day clashes. (Also used with proposed values before saving.)
    """
    start_date = start_date or placement.start_date
    end_date = end_date or placement.end_date
    working_days = set(placement.weekdays if weekdays is None else weekdays)
    if not working_days:
        return []
    enrolled = Enrolment.objects.enrolled().filter(learner_id=placement.learner_id)
    sessions = (
        Session.objects.held()
        .filter(
            course_id__in=enrolled.values("course_id"),
            date__gte=start_date,
            date__lte=end_date,
        )
        .select_related("course__course_type", "course__location")
        .order_by("date", "start_time")
    )
    clashes = []
    for s in sessions:
        if s.date.weekday() in working_days and _overlaps(placement, s.start_time, s.end_time):
            clashes.append(Clash(s.date, s.start_time, s.end_time, s.course_id, str(s.course)))
    return clashes


# Suggestions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    wish: InternshipWish
    employer: Employer
    score: int
    reasons: list[str]


def _same_place(wish: InternshipWish, employer: Employer) -> bool:
    if wish.town and employer.town and wish.town.strip().lower() == employer.town.strip().lower():
        return True
    return bool(wish.postcode[:2] and wish.postcode[:2] == employer.postcode[:2])


def _sector_match(wish: InternshipWish, employer: Employer) -> bool:
    a, b = wish.sector.strip().lower(), employer.sector.strip().lower()
    return bool(a and b and (a in b or b in a))


def internship_suggestions(*, user: User, limit_per_learner: int = 5) -> list[Suggestion]:
    """Learners who want an internship, each matched with employers of the same provider.

    An employer fits when the sector matches the wish and the learner's level reaches the
    employer's minimum; the same town (or postcode area) ranks higher. Employers with no free
    place (all places taken by agreed or running placements) are left out. Two queries.
    """
    from django.utils.translation import gettext as _

    wishes = list(
        wishes_for_staff(user=user)
        .filter(active=True)
        .exclude(learner__placements__status__in=ACTIVE_STATUSES)
        .distinct()
    )
    employers = list(
        employers_for_staff(user=user)
        .filter(active=True)
        .annotate(taken=Count("placements", filter=Q(placements__status__in=ACTIVE_STATUSES)))
    )
    out: list[Suggestion] = []
    for wish in wishes:
        matches = []
        for employer in employers:
            if employer.provider_id != wish.learner.provider_id:
                continue
            if employer.taken >= employer.places_offered:
                continue
            if not _sector_match(wish, employer):
                continue
            if employer.min_level and (
                not wish.language_level
                or Level.rank(wish.language_level) < Level.rank(employer.min_level)
            ):
                continue
            reasons = [_("sector")]
            score = 2
            if employer.min_level:
                reasons.append(_("language level"))
            if _same_place(wish, employer):
                score += 1
                reasons.append(_("location"))
            matches.append(Suggestion(wish, employer, score, reasons))
        matches.sort(key=lambda s: (-s.score, s.employer.name))
        out.extend(matches[:limit_per_learner])
    return out


# Supervisor week and certificate ----------------------------------------------------------


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def placement_week(placement: Placement, monday: date) -> list[dict[str, Any]]:
    """The placement's working days in the week starting ``monday``, with what was confirmed."""
    days = placement.working_days(monday, monday + timedelta(days=6))
    confirmed = {d.date: d for d in placement.days.filter(date__in=days)}
    return [{"date": day, "confirmed": confirmed.get(day)} for day in days]


def placement_certificate_contents(placement: Placement) -> dict[str, Any]:
    """What an internship certificate says: employer, learner, period, hours, absences, tasks."""
    from internships.models import WEEKDAY_NAMES

    absent = placement.days.filter(present=False).count()
    with translation.override("de"):
        type_label = str(placement.get_type_display())
        working_days = ", ".join(str(WEEKDAY_NAMES[d]) for d in sorted(placement.weekdays))
    hours = placement.hours_per_week
    return {
        "kind": "internship",
        "learner": placement.learner,
        "provider": placement.employer.provider,
        "employer": placement.employer,
        "course_type": type_label,
        "type_label": type_label,
        "module": None,
        "course": None,
        "date_from": placement.start_date,
        "date_to": min(placement.end_date, _last_day(placement)),
        "weekly_hours": f"{hours:.1f}".replace(".", ",").removesuffix(",0"),
        "working_days": working_days,
        "days_absent": absent,
        "supervisor": placement.supervisor_name,
        "tasks": placement.tasks,
        "learning_goals": placement.learning_goals,
    }


def _last_day(placement: Placement) -> date:
    """An aborted placement ends on its last recorded day (or its start)."""
    if placement.status != Placement.Status.ABORTED:
        return placement.end_date
    last = placement.days.order_by("-date").values_list("date", flat=True).first()
    return last or placement.start_date
