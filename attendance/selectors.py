"""Reads of the attendance register: figures per enrolment, used by pages, API, certificates, reports."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from attendance.models import AttendanceRecord, Code
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


def attendance_figures(
    enrolments: Iterable[Enrolment], *, until: date | None = None
) -> dict[int, Figures]:
    """Figures for each enrolment, in two queries whatever the number of enrolments.

    UE held are the UE of the course's non-cancelled sessions from the learner's entry date up to
    ``until`` (today by default); attended, excused and unexcused come from the register.
    """
    until = until or timezone.localdate()
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    ids = [e.pk for e in enrolments]
    records = (
        AttendanceRecord.objects.filter(enrolment_id__in=ids, session__date__lte=until)
        .values("enrolment_id")
        .annotate(
            ue_attended=Sum("ue_attended", filter=Q(code__in=[Code.PRESENT, Code.INTERNSHIP])),
            excused=Count("id", filter=Q(code=Code.EXCUSED)),
            unexcused=Count("id", filter=Q(code=Code.UNEXCUSED)),
            internship=Count("id", filter=Q(code=Code.INTERNSHIP)),
            last=Max("session__date", filter=Q(code=Code.PRESENT)),
        )
    )
    by_enrolment = {row["enrolment_id"]: row for row in records}
    course_ids = {e.course_id for e in enrolments}
    days: dict[int, list[date]] = {}
    totals: dict[int, list[int]] = {}
    for course_id, day, ue in (
        Session.objects.held()
        .filter(course_id__in=course_ids, date__lte=until)
        .order_by("course_id", "date")
        .values_list("course_id", "date", "ue")
    ):
        days.setdefault(course_id, []).append(day)
        running = totals.setdefault(course_id, [0])
        running.append(running[-1] + ue)
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
