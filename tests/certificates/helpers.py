"""Builders for certificate and internship tests: a course running for some weeks, with a register."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from pypdf import PdfReader

from attendance.models import Code
from tests.factories import LearnerFactory, make_course, register_fill


def monday_weeks_ago(weeks: int) -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks)


COURSE_START = dt.date(2026, 1, 5)  # a Monday; no holidays in Schleswig-Holstein until Easter


def weeks_later(weeks: int, weekday: int = 4) -> dt.date:
    """The ``weekday`` (default Friday) of the course's ``weeks``-th week (1-based)."""
    return COURSE_START + dt.timedelta(weeks=weeks - 1, days=weekday)


def running_course(provider, **kwargs):
    """A course that started on COURSE_START (25 UE a week, 5 a day), planned by the service."""
    kwargs.setdefault("start", COURSE_START)
    return make_course(provider=provider, status="running", **kwargs)


def fill_register(
    enrolment, codes: dict[int, str] | None = None, default: str = Code.PRESENT, until=None
):
    """A code for every held session up to ``until`` (today) (index → code overrides)."""
    codes = codes or {}
    until = until or timezone.localdate()
    sessions = list(
        enrolment.course.sessions.held().filter(date__lte=until).order_by("date", "start_time")
    )
    register_fill(enrolment, sessions, [codes.get(i, default) for i in range(len(sessions))])


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(bytes(data)))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(bytes(data))).pages)


def learners(provider, n: int):
    return [LearnerFactory(provider=provider) for _ in range(n)]
