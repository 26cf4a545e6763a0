"""Internship days on the register (code P), from the internship placements."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from attendance.models import (
    AttendanceRecord,
    Code,
    Method,
)
from courses.models import Session
from enrolment.models import Enrolment
from people.models import Learner, User


@transaction.atomic
def register_internship_days(
    *,
    learner: Learner,
    start: date,
    end: date,
    weekdays: Iterable[int] | None = None,
    by: User | None = None,
) -> int:
    """Enter code P for the learner's course days inside an internship; returns how many.

    Only days of courses the learner is enrolled in on that day; signed (locked) days are left
    alone and a recorded presence (X) is never overwritten.
    """
    weekdays = set(weekdays) if weekdays is not None else None
    enrolments = list(
        Enrolment.objects.filter(learner=learner).filter(
            Q(status=Enrolment.Status.ENROLLED) | Q(ended_on__gte=start)
        )
    )
    written = 0
    for enrolment in enrolments:
        sessions = (
            Session.objects.held()
            .select_for_update(of=("self",))
            .filter(course_id=enrolment.course_id, date__gte=start, date__lte=end)
            .filter(signoff__isnull=True)
        )
        if enrolment.start_date:
            sessions = sessions.filter(date__gte=enrolment.start_date)
        if enrolment.ended_on:
            sessions = sessions.filter(date__lte=enrolment.ended_on)
        days = [s for s in sessions if weekdays is None or s.date.weekday() in weekdays]
        if not days:
            continue
        records = {
            r.session_id: r
            for r in AttendanceRecord.objects.filter(enrolment=enrolment, session__in=days)
        }
        for session in days:
            record = records.get(session.pk)
            if record is not None and record.code in (Code.PRESENT, Code.INTERNSHIP):
                continue
            if record is None:
                record = AttendanceRecord(session=session, enrolment=enrolment)
            record.code = Code.INTERNSHIP
            record.ue_attended = Decimal(session.ue)
            record.arrived_at = record.left_at = None
            record.method = Method.INTERNSHIP
            record.recorded_by = by
            record.recorded_at = timezone.now()
            record.save()
            written += 1
    return written
