"""Attendance figures — UE held and attended, rate, excused and unexcused days: the one place they are counted, for staff, learners, the Jobcenter and billing."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from attendance.models import (
    SELF_METHODS,
    AttendanceRecord,
    Code,
)
from courses.models import Session
from enrolment.models import Enrolment


@dataclass(frozen=True)
class Figures:
    """Attendance of one learner in one course up to a day."""

    ue_held: int
    ue_attended: Decimal
    excused_days: int
    unexcused_days: int
    internship_days: int
    last_attended: date | None

    @property
    def rate(self) -> float | None:
        """Share of held UE attended (internship days count as attended); None before any UE."""
        if not self.ue_held:
            return None
        return round(float(self.ue_attended) / self.ue_held, 4)


EMPTY = Figures(0, Decimal(0), 0, 0, 0, None)


def _figure_records(
    *, ids: list[int], until: date, group: tuple[str, ...] = ("enrolment_id",)
) -> QuerySet:
    return (
        counted_records()
        .filter(enrolment_id__in=ids, session__date__lte=until)
        .values(*group)
        .annotate(
            ue_attended=Sum("ue_attended", filter=Q(code__in=[Code.PRESENT, Code.INTERNSHIP])),
            excused=Count("id", filter=Q(code=Code.EXCUSED)),
            unexcused=Count("id", filter=Q(code=Code.UNEXCUSED)),
            internship=Count("id", filter=Q(code=Code.INTERNSHIP)),
            last=Max("session__date", filter=Q(code=Code.PRESENT)),
        )
        .order_by()
    )


def _held_sessions(*, course_ids: list[int], until: date, extra: tuple[str, ...] = ()) -> QuerySet:
    return (
        Session.objects.held()
        .filter(course_id__in=course_ids, date__lte=until)
        .order_by("course_id", "date")
        .values("course_id", "date", "ue", *extra)
    )


class EnrolmentSpan(Protocol):
    """What the figures read of an enrolment: a model object, or a row of plain values (the
    Jobcenter's bulk answer)."""

    @property
    def pk(self) -> int: ...

    @property
    def course_id(self) -> int: ...

    @property
    def start_date(self) -> date | None: ...

    @property
    def ended_on(self) -> date | None: ...


def attendance_figures(
    enrolments: Iterable[EnrolmentSpan], *, until: date | None = None
) -> dict[int, Figures]:
    """Figures for each enrolment, in two queries whatever the number of enrolments.

    UE held are the UE of the course's non-cancelled sessions from the learner's entry date up to
    ``until`` (today by default); attended, excused and unexcused come from the register.
    Records a learner made themselves (session QR, card) count only once the teacher has signed
    the day; what a teacher, staff, an import or an internship entered counts at once.
    """
    until = until or timezone.localdate()
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    records = _figure_records(ids=[e.pk for e in enrolments], until=until)
    sessions = _held_sessions(course_ids=sorted({e.course_id for e in enrolments}), until=until)
    by_enrolment = {row["enrolment_id"]: row for row in records}
    days: dict[int, list[date]] = {}
    totals: dict[int, list[int]] = {}
    for session in sessions:
        days.setdefault(session["course_id"], []).append(session["date"])
        running = totals.setdefault(session["course_id"], [0])
        running.append(running[-1] + session["ue"])
    figures: dict[int, Figures] = {}
    for enrolment in enrolments:
        course_days = days.get(enrolment.course_id, [])
        prefix = totals.get(enrolment.course_id, [0])
        first = bisect_left(course_days, enrolment.start_date) if enrolment.start_date else 0
        last = bisect_right(course_days, min(enrolment.ended_on or until, until))
        ue_held = prefix[last] - prefix[first] if last > first else 0
        row = by_enrolment.get(enrolment.pk)
        if row is None and not ue_held:
            figures[enrolment.pk] = EMPTY
            continue
        row = row or {}
        figures[enrolment.pk] = Figures(
            ue_held=ue_held,
            ue_attended=row.get("ue_attended") or Decimal(0),
            excused_days=row.get("excused", 0),
            unexcused_days=row.get("unexcused", 0),
            internship_days=row.get("internship", 0),
            last_attended=row.get("last"),
        )
    return figures


def attendance_figures_by_module(
    enrolments: Iterable[Enrolment],
    *,
    until: date | None = None,
    modules: Iterable[int] | None = None,
) -> dict[int, dict[int, Figures]]:
    """The figures of ``attendance_figures`` split by module: ``{enrolment_id: {module_id:
    Figures}}``, in two queries whatever the number of enrolments or course days.

    The same rules, from the same records and held sessions (``counted_records``, the entry and
    leaving dates), so the modules of an enrolment add up to its figures there: what the
    learner sees is what staff and the Jobcenter see. ``modules`` (ids) limits the figures to
    those modules (billing asks for the modules it bills, not the whole course).
    """
    until = until or timezone.localdate()
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    records = _figure_records(
        ids=[e.pk for e in enrolments], until=until, group=("enrolment_id", "session__module_id")
    )
    sessions = _held_sessions(
        course_ids=sorted({e.course_id for e in enrolments}), until=until, extra=("module_id",)
    )
    if modules is not None:
        module_ids = list(modules)
        records = records.filter(session__module_id__in=module_ids)
        sessions = sessions.filter(module_id__in=module_ids)
    by_key = {(row["enrolment_id"], row["session__module_id"]): row for row in records}
    days: dict[tuple[int, int], list[date]] = {}
    totals: dict[tuple[int, int], list[int]] = {}
    modules_of: dict[int, list[int]] = {}
    for session in sessions:
        key = (session["course_id"], session["module_id"])
        if key not in days:
            modules_of.setdefault(session["course_id"], []).append(session["module_id"])
        days.setdefault(key, []).append(session["date"])
        running = totals.setdefault(key, [0])
        running.append(running[-1] + session["ue"])
    # Modules with records of each enrolment, found once (not by scanning every key per
    # enrolment, which grew with the square of the enrolments).
    recorded: dict[int, list[int]] = {}
    for e, m in by_key:
        recorded.setdefault(e, []).append(m)
    out: dict[int, dict[int, Figures]] = {}
    for enrolment in enrolments:
        per_module: dict[int, Figures] = {}
        module_ids = list(modules_of.get(enrolment.course_id, []))
        module_ids += [m for m in recorded.get(enrolment.pk, []) if m not in module_ids]
        for module_id in module_ids:
            key = (enrolment.course_id, module_id)
            module_days, prefix = days.get(key, []), totals.get(key, [0])
            first = bisect_left(module_days, enrolment.start_date) if enrolment.start_date else 0
            last = bisect_right(module_days, min(enrolment.ended_on or until, until))
            ue_held = prefix[last] - prefix[first] if last > first else 0
            row = by_key.get((enrolment.pk, module_id))
            if row is None and not ue_held:
                continue
            row = row or {}
            per_module[module_id] = Figures(
                ue_held=ue_held,
                ue_attended=row.get("ue_attended") or Decimal(0),
                excused_days=row.get("excused", 0),
                unexcused_days=row.get("unexcused", 0),
                internship_days=row.get("internship", 0),
                last_attended=row.get("last"),
            )
        out[enrolment.pk] = per_module
    return out


def counted_records() -> QuerySet[AttendanceRecord]:
    """Records that count: all but self check-ins on days the teacher has not signed yet."""
    return AttendanceRecord.objects.exclude(
        Q(method__in=SELF_METHODS) & Q(session__signoff__isnull=True)
    )
