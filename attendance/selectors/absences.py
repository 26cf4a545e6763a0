"""Absence reports by learners: which cover a day, and illness days in a row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from attendance.models import (
    AbsenceReport,
    AttendanceRecord,
    Code,
)
from courses.models import Session
from enrolment.models import Enrolment
from people.models import Learner

# --- absence reports by learners ----------------------------------------------------------------


def reports_covering(*, learner_ids: Iterable[int], day: date) -> dict[int, AbsenceReport]:
    """The learners' absence reports that cover ``day``, by learner (the newest wins); one query."""
    reports = AbsenceReport.objects.filter(
        learner_id__in=list(learner_ids), first_day__lte=day, last_day__gte=day
    ).order_by("learner_id", "created_at", "pk")
    return {report.learner_id: report for report in reports}


def illness_days_in_row(*, learner: Learner, first_day: date, last_day: date) -> int:
    """Course days in a row, ending with the last course day up to ``last_day``, on which the
    learner is ill: by the register (an illness reason) or by an illness report, counting the
    days from ``first_day`` to ``last_day`` as reported ill. Three queries."""
    enrolled = Enrolment.objects.filter(learner=learner, status=Enrolment.Status.ENROLLED)
    days = list(
        Session.objects.held()
        .filter(course__in=enrolled.values("course_id"), date__lte=last_day)
        .order_by("-date")
        .values_list("date", flat=True)
        .distinct()[:60]
    )
    if not days:
        return 0
    ill = {day for day in days if first_day <= day <= last_day}
    ill.update(
        AttendanceRecord.objects.filter(
            enrolment__in=enrolled,
            session__date__gte=days[-1],
            absence_reason__is_illness=True,
        ).values_list("session__date", flat=True)
    )
    for report in AbsenceReport.objects.filter(
        learner=learner, reason=AbsenceReport.Reason.ILLNESS, last_day__gte=days[-1]
    ).exclude(decision=Code.UNEXCUSED):
        ill.update(day for day in days if report.covers(day))
    streak = 0
    for day in days:
        if day not in ill:
            break
        streak += 1
    return streak
