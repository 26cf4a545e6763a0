"""Billing fixtures: a course that started on 5 January 2026 (5 UE a day, module 1 of 100 UE
ends on 30 January), three learners with BAMF numbers, every day present and signed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from attendance.models import AttendanceRecord, Code, Method, SessionSignOff
from billing.models import InGeReport
from enrolment.models import Enrolment
from tests.billing.inge_fixtures import inge  # noqa: F401  (the InGe outbox's course)
from tests.certificates.helpers import running_course
from tests.factories import LearnerFactory

MODULE_END = dt.date(2026, 1, 30)


def enrol(course, learner, **fields) -> Enrolment:
    fields.setdefault("status", Enrolment.Status.ENROLLED)
    fields.setdefault("start_date", course.start_date)
    return Enrolment.objects.create(
        learner=learner, course=course, module=course.first_module, **fields
    )


def inge_reported(course, enrolments, by, on=None) -> None:
    """The course start and the learners' entries as sent to InGe (a week before the start), so
    the pre-check's "joined without a course-start report" stays quiet."""
    on = on or course.start_date - dt.timedelta(days=7)
    kinds = [(InGeReport.Kind.COURSE_START, None)] + [
        (InGeReport.Kind.ENTRY, e) for e in enrolments
    ]
    for kind, enrolment in kinds:
        key = InGeReport.key_for(kind, course.pk, None, enrolment.pk if enrolment else None)
        InGeReport.objects.update_or_create(
            key=key,
            corrects=None,
            defaults={
                "kind": kind,
                "course": course,
                "enrolment": enrolment,
                "status": InGeReport.Status.SENT,
                "sent_on": on,
                "sent_by": by,
            },
        )


def mark(enrolment, session, code: str, method: str = Method.TEACHER, **fields):
    ue = Decimal(session.ue) if code in (Code.PRESENT, Code.INTERNSHIP) else Decimal(0)
    record, _ = AttendanceRecord.objects.update_or_create(
        session=session,
        enrolment=enrolment,
        defaults={"code": code, "ue_attended": ue, "method": method, **fields},
    )
    return record


def module_days(course, module=None):
    module = module or course.first_module
    return list(course.sessions.held().filter(module=module).order_by("date", "start_time"))


@pytest.fixture
def bill(world):
    a = world.a
    course = running_course(
        a.provider, location=a.location, teachers=[a.teacher], bamf_course_number="IK-123/2026"
    )
    module = course.first_module
    days = module_days(course, module)
    assert days[-1].date == MODULE_END and sum(s.ue for s in days) == 100
    learners = [LearnerFactory(provider=a.provider, bamf_number=f"K-{n}") for n in range(3)]
    enrolments = [enrol(course, learner) for learner in learners]
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(
            session=s,
            enrolment=e,
            code=Code.PRESENT,
            ue_attended=Decimal(s.ue),
            method=Method.TEACHER,
        )
        for e in enrolments
        for s in days
    )
    SessionSignOff.objects.bulk_create(SessionSignOff(session=s, signed_by=a.teacher) for s in days)
    inge_reported(course, enrolments, a.staff)
    return SimpleNamespace(
        world=world,
        a=a,
        course=course,
        module=module,
        days=days,
        learners=learners,
        enrolments=enrolments,
    )
