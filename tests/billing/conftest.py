"""Billing fixtures: a course that started on 5 January 2026 (5 UE a day, module 1 of 100 UE
ends on 30 January), three learners with BAMF numbers, every day present and signed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from attendance.models import AttendanceRecord, Code, Method
from billing.models import InGeReport
from tests.billing.inge_fixtures import inge  # noqa: F401  (the InGe outbox's course)
from tests.certificates.helpers import running_course
from tests.factories import (
    EnrolmentFactory,
    LearnerFactory,
    SessionSignOffFactory,
    register_fill,
)

MODULE_END = dt.date(2026, 1, 30)


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
    """Set the learner's code for a day, whether or not the day has a register row yet (a
    correction of the filled register; new rows come from ``register_fill``)."""
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
    enrolments = [EnrolmentFactory(course=course, learner=learner) for learner in learners]
    for enrolment in enrolments:
        register_fill(enrolment, days, [Code.PRESENT] * len(days))
    for day in days:
        SessionSignOffFactory(session=day, signed_by=a.teacher)
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


@pytest.fixture
def travel_and_fees(bill):
    """On top of ``bill``: learner 0 exempt (Bürgergeld) with a travel-subsidy application from
    before the module and one unexcused day (19 days counted); a placement test and a DTZ for
    learner 0, a DTZ for learner 1 after a fee change. By hand: travel 19 × 2.50 = 47.50 €;
    fees 40.00 (placement) + 100.00 (DTZ, old fee) + 120.00 (DTZ, new fee) = 260.00 €;
    reimbursement 95 × 4.58 + 2 × 100 × 4.58 = 1351.10 €; own contributions 2 × 229.00 = 458.00 €."""
    from billing.models import TestFee
    from certificates.models import TestResult
    from enrolment.models import PlacementBooking, PlacementResult, PlacementSlot
    from tests.billing.money import apply_travel, exempt

    a, b, _c = bill.learners
    exempt(a, valid_from=dt.date(2025, 12, 1), valid_until=dt.date(2026, 12, 31))
    apply_travel(a, on=dt.date(2026, 1, 2))
    mark(bill.enrolments[0], bill.days[3], Code.UNEXCUSED)
    fee = {
        "dtz_old": TestFee.objects.create(
            kind=TestFee.Kind.DTZ, valid_from=dt.date(2024, 1, 1), amount="100.00", source="DTZ-A"
        ),
        "dtz_new": TestFee.objects.create(
            kind=TestFee.Kind.DTZ, valid_from=dt.date(2026, 1, 15), amount="120.00", source="DTZ-B"
        ),
        "placement": TestFee.objects.create(
            kind=TestFee.Kind.PLACEMENT,
            valid_from=dt.date(2024, 1, 1),
            amount="40.00",
            source="ET-C",
        ),
    }
    TestResult.objects.create(
        learner=a,
        course=bill.course,
        module=bill.module,
        exam="dtz",
        taken_on=dt.date(2026, 1, 14),
        result="B1",
    )
    TestResult.objects.create(
        learner=b, course=bill.course, exam="dtz", taken_on=dt.date(2026, 1, 20), result="A2"
    )
    slot = PlacementSlot.objects.create(
        provider=bill.a.provider,
        location=bill.a.location,
        date=dt.date(2025, 12, 1),
        start_time=dt.time(9),
    )
    PlacementResult.objects.create(
        booking=PlacementBooking.objects.create(slot=slot, learner=a),
        level_reached="A1",
        recommended_course_type=bill.course.course_type,
        recommended_module=bill.module,
        placed_course_type=bill.course.course_type,
        placed_module=bill.module,
    )
    return SimpleNamespace(fee=fee)
