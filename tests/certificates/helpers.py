"""Builders for certificate and internship tests: a course running for some weeks, with a register."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from pypdf import PdfReader

from attendance.models import AttendanceRecord, Code, Method
from enrolment.models import Enrolment
from tests.factories import EnrolmentFactory, LearnerFactory, make_course


def monday_weeks_ago(weeks: int) -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks)


def enrol(course, learner, **fields) -> Enrolment:
    return EnrolmentFactory(course=course, learner=learner, **fields)


COURSE_START = dt.date(2026, 1, 5)  # a Monday; no holidays in Schleswig-Holstein until Easter


def weeks_later(weeks: int, weekday: int = 4) -> dt.date:
    """The ``weekday`` (default Friday) of the course's ``weeks``-th week (1-based)."""
    return COURSE_START + dt.timedelta(weeks=weeks - 1, days=weekday)


def running_course(provider, **kwargs):
    """A course that started on COURSE_START (25 UE a week, 5 a day), planned by the service."""
    kwargs.setdefault("start", COURSE_START)
    return make_course(provider=provider, status="running", **kwargs)


def record(enrolment, session, code: str) -> AttendanceRecord:
    ue = Decimal(session.ue) if code in (Code.PRESENT, Code.INTERNSHIP) else Decimal(0)
    return AttendanceRecord.objects.create(
        session=session, enrolment=enrolment, code=code, ue_attended=ue, method=Method.TEACHER
    )


def fill_register(
    enrolment, codes: dict[int, str] | None = None, default: str = Code.PRESENT, until=None
):
    """A code for every held session up to ``until`` (today) (index → code overrides)."""
    codes = codes or {}
    until = until or timezone.localdate()
    sessions = enrolment.course.sessions.held().filter(date__lte=until)
    rows = []
    for index, session in enumerate(sessions.order_by("date", "start_time")):
        code = codes.get(index, default)
        ue = Decimal(session.ue) if code in (Code.PRESENT, Code.INTERNSHIP) else Decimal(0)
        rows.append(
            AttendanceRecord(
                session=session,
                enrolment=enrolment,
                code=code,
                ue_attended=ue,
                method=Method.TEACHER,
            )
        )
    AttendanceRecord.objects.bulk_create(rows)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(bytes(data)))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(bytes(data))).pages)


def learners(provider, n: int):
    return [LearnerFactory(provider=provider) for _ in range(n)]
