"""Planning a course's sessions from its weekly timetable, and the plausibility of a plan."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import Course, Module, Session, TimetableSlot
from courses.services.base import CourseError
from courses.services.dates import is_public_holiday, time_of_day_for

PLANNING_HORIZON_DAYS = 5 * 366


@dataclass(frozen=True)
class PlannedSession:
    date: date
    start_time: time
    end_time: time
    ue: int
    module: Module


def _shorten(slot: TimetableSlot, ue: int) -> time:
    """End time of a slot that teaches only ``ue`` of its units (the last day of a module)."""
    start = datetime.combine(date.min, slot.start_time)
    full = datetime.combine(date.min, slot.end_time) - start
    return (start + full * ue / slot.ue).time().replace(microsecond=0)


@dataclass
class _ModuleLeft:
    """A module still to lay out, with the UE it still needs."""

    module: Module
    ue: int


def plan(
    *,
    slots: Iterable[TimetableSlot],
    modules: Iterable[tuple[Module, int]],
    start: date,
    state: str,
    skip: AbstractSet[tuple[date, time]] = frozenset(),
) -> Iterator[PlannedSession]:
    """Lay ``modules`` (each with the UE still to teach) onto the weekly ``slots`` from ``start``.

    Public holidays of ``state`` and the (date, start) pairs in ``skip`` are not taught. A day
    never spans two modules: the last day of a module is shortened to the UE it still needs,
    so every module ends on exactly its UE.
    """
    by_weekday: dict[int, list[TimetableSlot]] = {}
    for slot in sorted(slots, key=lambda s: (s.weekday, s.start_time)):
        by_weekday.setdefault(slot.weekday, []).append(slot)
    queue = [_ModuleLeft(module, ue) for module, ue in modules if ue > 0]
    if not queue:
        return
    if not by_weekday:
        raise CourseError(_("The course has no timetable."), code="no_timetable", field="timetable")
    day = start
    last = start + timedelta(days=PLANNING_HORIZON_DAYS)
    while queue and day <= last:
        if day.weekday() in by_weekday and not is_public_holiday(day, state):
            for slot in by_weekday[day.weekday()]:
                if not queue or (day, slot.start_time) in skip:
                    continue
                left = queue[0]
                ue = min(slot.ue, left.ue)
                end = slot.end_time if ue == slot.ue else _shorten(slot, ue)
                yield PlannedSession(day, slot.start_time, end, ue, left.module)
                left.ue -= ue
                if left.ue == 0:
                    queue.pop(0)
        day += timedelta(days=1)
    if queue:
        raise CourseError(
            _("The timetable cannot teach all units within five years."),
            code="plan_too_long",
            field="timetable",
        )


@transaction.atomic
def course_plan_sessions(*, course: Course, after: date | None = None) -> list[Session]:
    """(Re)plan the course's sessions after ``after`` (all of them when None).

    Sessions on or before ``after`` and cancelled sessions stay as they are; the UE they teach
    count as done, the rest is laid onto the timetable again. The course's end date, time of day
    and weekly UE follow from the result.
    """
    course = Course.objects.select_for_update().get(pk=course.pk)
    slots = list(course.timetable.all())
    modules = course.modules_to_teach()
    existing = course.sessions.all()
    kept = existing if after is not None else existing.none()
    kept = kept.filter(date__lte=after) if after is not None else kept
    done: dict[int, int] = {}
    for session in kept.held():
        done[session.module_id] = done.get(session.module_id, 0) + session.ue
    cancelled = set(
        existing.filter(status=Session.Status.CANCELLED).values_list("date", "start_time")
    )
    future = existing.filter(status=Session.Status.PLANNED)
    if after is not None:
        future = future.filter(date__gt=after)
    future.delete()
    start = max(course.start_date, after + timedelta(days=1)) if after else course.start_date
    planned = plan(
        slots=slots,
        modules=[(m, m.ue - done.get(m.pk, 0)) for m in modules],
        start=start,
        state=course.location.state,
        skip=cancelled,
    )
    created = Session.objects.bulk_create(
        Session(
            course=course,
            module=p.module,
            date=p.date,
            start_time=p.start_time,
            end_time=p.end_time,
            ue=p.ue,
        )
        for p in planned
    )
    last = course.sessions.held().order_by("-date").values_list("date", flat=True).first()
    course.end_date = last
    course.ue_per_week = sum(s.ue for s in slots)
    course.time_of_day = time_of_day_for(min(s.start_time for s in slots)) if slots else ""
    course.save(update_fields=["end_date", "ue_per_week", "time_of_day", "updated_at"])
    return created


#: Plausibility of a course plan (not legal limits): a plan beyond these is saved only after
#: the person confirms it. An integration course of 700 UE takes about 9 months full time
#: (20–25 UE a week) and about 18 months part time.
PLAUSIBLE_MONTHS = 18
PLAUSIBLE_UE_PER_WEEK = (8, 40)


def course_plan_warnings(course: Course) -> list[str]:
    """What looks wrong with the course's planned sessions, in words for the person planning it
    (empty: plausible): an end date far away, too few or too many UE a week."""
    warnings = []
    low, high = PLAUSIBLE_UE_PER_WEEK
    if course.ue_per_week and course.ue_per_week < low:
        warnings.append(
            _("Only %(ue)d UE a week (usual: at least %(low)d).")
            % {"ue": course.ue_per_week, "low": low}
        )
    if course.ue_per_week > high:
        warnings.append(
            _("%(ue)d UE a week is more than %(high)d: check the timetable's UE.")
            % {"ue": course.ue_per_week, "high": high}
        )
    if course.end_date:
        months = (course.end_date.year - course.start_date.year) * 12 + (
            course.end_date.month - course.start_date.month
        )
        if months > PLAUSIBLE_MONTHS:
            warnings.append(
                _(
                    "The plan ends on %(end)s, %(months)d months after the start (more than "
                    "%(limit)d)."
                )
                % {
                    "end": f"{course.end_date:%d.%m.%Y}",
                    "months": months,
                    "limit": PLAUSIBLE_MONTHS,
                }
            )
    return warnings


def check_plan(course: Course, confirm_plan: bool | None) -> None:
    """Refuse an implausible plan unless confirmed. ``None``: the caller does not ask (imports,
    demo data, internal replanning)."""
    if confirm_plan is not False:
        return
    warnings = course_plan_warnings(course)
    if warnings:
        raise CourseError(
            " ".join(warnings)
            + " "
            + _("Check the timetable and start date, or confirm that the plan is intended."),
            code="implausible_plan",
            field="timetable",
        )
