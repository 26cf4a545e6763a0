"""The pre-check: each finding comes from exactly the defect that makes it, with the learner, the
day and what to do; a complete register has none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from attendance.models import (
    AbsenceEvidence,
    AbsenceReason,
    AttendanceRecord,
    Code,
    Method,
    SessionSignOff,
)
from billing.models import Finding, InGeReport, TestFee
from billing.selectors import compute_claim, precheck, todo_for
from billing.services import claim_open, claim_refresh
from certificates.models import TestResult
from enrolment.models import PlacementBooking, PlacementResult, PlacementSlot
from tests.billing.conftest import inge_reported, mark
from tests.factories import EnrolmentFactory, LearnerFactory, register_fill

pytestmark = pytest.mark.django_db
K = Finding.Kind


def found(bill):
    computed = compute_claim(course=bill.course, module=bill.module)
    return [
        (p.kind, p.enrolment.pk if p.enrolment else None, p.session.pk if p.session else None)
        for p in precheck(computed)
    ]


def test_a_complete_register_has_no_findings(bill):
    assert found(bill) == []


def test_unsigned_course_day(bill):
    day = bill.days[5]
    SessionSignOff.objects.filter(session=day).delete()
    assert found(bill) == [(K.UNSIGNED_DAY, None, day.pk)]


def test_learner_without_a_code_on_a_held_day(bill):
    e, day = bill.enrolments[0], bill.days[3]
    AttendanceRecord.objects.filter(enrolment=e, session=day).delete()
    assert found(bill) == [(K.MISSING_CODE, e.pk, day.pk)]


def test_late_entry_after_the_first_25_ue(bill):
    """Entry on the sixth day: 25 UE were held before it."""
    late = EnrolmentFactory(
        course=bill.course,
        learner=LearnerFactory(provider=bill.a.provider, bamf_number="K-late"),
        start_date=bill.days[5].date,
    )
    inge_reported(bill.course, [late], bill.a.staff)
    register_fill(late, bill.days[5:], [Code.PRESENT] * 15)
    assert found(bill) == [(K.LATE_ENTRY, late.pk, bill.days[5].pk)]


def test_entry_within_the_first_25_ue_is_on_time(bill):
    """Entry on the fifth day: 20 UE were held before it."""
    late = EnrolmentFactory(
        course=bill.course,
        learner=LearnerFactory(provider=bill.a.provider, bamf_number="K-late"),
        start_date=bill.days[4].date,
    )
    inge_reported(bill.course, [late], bill.a.staff)
    register_fill(late, bill.days[4:], [Code.PRESENT] * 16)
    assert found(bill) == []


def _ill(bill, e, days):
    illness = AbsenceReason.objects.get(code="illness")
    return [mark(e, s, Code.EXCUSED, absence_reason=illness) for s in days]


def test_illness_beyond_the_third_day_without_certificate(bill):
    e = bill.enrolments[1]
    _ill(bill, e, bill.days[2:7])  # five days in a row: days four and five need a certificate
    assert found(bill) == [
        (K.NO_CERTIFICATE, e.pk, bill.days[5].pk),
        (K.NO_CERTIFICATE, e.pk, bill.days[6].pk),
    ]


def test_three_days_of_illness_need_no_certificate(bill):
    _ill(bill, bill.enrolments[1], bill.days[2:5])
    assert found(bill) == []


def test_a_recorded_certificate_covers_the_illness(bill):
    records = _ill(bill, bill.enrolments[1], bill.days[2:7])
    AbsenceEvidence.objects.create(record=records[3], file="ak.pdf", is_medical_certificate=True)
    assert found(bill) == []


def test_bamf_course_number_missing(bill):
    bill.course.bamf_course_number = ""
    bill.course.save()
    assert found(bill) == [(K.NO_COURSE_NUMBER, None, None)]


def test_bamf_participant_number_missing(bill):
    learner = bill.learners[2]
    learner.bamf_number = " "
    learner.save()
    assert found(bill) == [(K.NO_LEARNER_NUMBER, bill.enrolments[2].pk, None)]


def test_qr_checkin_never_confirmed_by_the_teacher(bill):
    """A QR check-in stays unconfirmed while the teacher has not signed its day, so the day is
    unsigned as well: both findings, nothing else."""
    e, day = bill.enrolments[0], bill.days[7]
    AttendanceRecord.objects.filter(enrolment=e, session=day).update(method=Method.SESSION_QR)
    SessionSignOff.objects.filter(session=day).delete()
    assert sorted(found(bill)) == sorted(
        [(K.UNSIGNED_DAY, None, day.pk), (K.UNCONFIRMED_CHECKIN, e.pk, day.pk)]
    )


def test_learner_joined_without_a_course_start_report(bill):
    """The course start was never entered in InGe: every learner on the claim joined without it."""
    InGeReport.objects.filter(course=bill.course, kind=InGeReport.Kind.COURSE_START).update(
        status=InGeReport.Status.TODO, sent_on=None, sent_by=None
    )
    assert sorted(found(bill)) == sorted((K.NO_START_REPORT, e.pk, None) for e in bill.enrolments)


def test_course_start_reported_only_after_the_learner_entered(bill):
    """Reported on the second course day: the learners who entered on the first joined before."""
    InGeReport.objects.filter(course=bill.course, kind=InGeReport.Kind.COURSE_START).update(
        sent_on=bill.days[1].date
    )
    assert sorted(found(bill)) == sorted((K.NO_START_REPORT, e.pk, None) for e in bill.enrolments)


def test_learner_whose_entry_report_was_not_sent(bill):
    e = bill.enrolments[1]
    InGeReport.objects.filter(enrolment=e, kind=InGeReport.Kind.ENTRY).delete()
    assert found(bill) == [(K.NO_START_REPORT, e.pk, None)]


def _dtz(bill, learner, day, **fields):
    return TestResult.objects.create(
        learner=learner, course=bill.course, exam="dtz", taken_on=day, result="B1", **fields
    )


def test_test_held_in_the_module_without_a_fee_rule_in_force(bill):
    """A DTZ on 21 January; the only DTZ fee version starts on the 22nd: no fee in force."""
    e, day = bill.enrolments[0], dt.date(2026, 1, 21)
    _dtz(bill, bill.learners[0], day, module=bill.module)
    TestFee.objects.create(kind="dtz", valid_from=day + dt.timedelta(days=1), amount=1, source="X")
    problems = precheck(compute_claim(course=bill.course, module=bill.module))
    assert [(p.kind, p.enrolment, p.session, p.test, p.day) for p in problems] == [
        (K.NO_FEE_RULE, e, None, "dtz", day)
    ]
    TestFee.objects.create(kind="dtz", valid_from=day, amount=1, source="Y")
    assert found(bill) == []


def test_a_placement_test_without_a_fee_rule(bill):
    slot = PlacementSlot.objects.create(
        provider=bill.a.provider,
        location=bill.a.location,
        date=dt.date(2025, 12, 1),
        start_time=dt.time(9),
    )
    PlacementResult.objects.create(
        booking=PlacementBooking.objects.create(slot=slot, learner=bill.learners[2]),
        level_reached="A1",
        recommended_course_type=bill.course.course_type,
        recommended_module=bill.module,
        placed_course_type=bill.course.course_type,
        placed_module=bill.module,
    )
    assert found(bill) == [(K.NO_FEE_RULE, bill.enrolments[2].pk, None)]


def test_tests_of_other_modules_or_with_a_fee_rule_are_no_finding(bill):
    TestFee.objects.create(kind="lid", valid_from=dt.date(2024, 1, 1), amount=1, source="Z")
    TestResult.objects.create(
        learner=bill.learners[0],
        course=bill.course,
        exam="lid",
        taken_on=dt.date(2026, 1, 21),
        result="20/33",
    )
    _dtz(bill, bill.learners[1], dt.date(2026, 3, 2))  # a day of the next module
    assert found(bill) == []


def test_the_finding_is_stored_with_test_and_day_and_says_what_to_do(bill, client):
    """Two tests without a fee for one learner are two findings; the page names test and day
    and tells staff to enter the fee rule in the admin; entering it clears the findings."""
    _dtz(bill, bill.learners[0], dt.date(2026, 1, 21), module=bill.module)
    TestResult.objects.create(
        learner=bill.learners[0],
        course=bill.course,
        module=bill.module,
        exam="lid",
        taken_on=dt.date(2026, 1, 22),
        result="20/33",
    )
    claim = claim_open(course=bill.course, module=bill.module)
    claim_refresh(claim=claim)
    stored = Finding.objects.filter(claim=claim).order_by("day")
    assert [(f.kind, f.enrolment_id, f.test, f.day) for f in stored] == [
        (K.NO_FEE_RULE, bill.enrolments[0].pk, "dtz", dt.date(2026, 1, 21)),
        (K.NO_FEE_RULE, bill.enrolments[0].pk, "lid", dt.date(2026, 1, 22)),
    ]
    client.force_login(bill.a.staff)
    with translation.override("en"):
        page = client.get(reverse("billing-claim", args=[claim.pk]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Test held without a fee rule in force: German test for immigrants (DTZ)" in text
    assert "21.01.2026" in text and "22.01.2026" in text
    assert "Enter the fee rule for this test" in text and "in the admin" in text
    TestFee.objects.create(kind="dtz", valid_from=dt.date(2025, 1, 1), amount=1, source="A")
    TestFee.objects.create(kind="lid", valid_from=dt.date(2025, 1, 1), amount=1, source="B")
    claim_refresh(claim=claim)
    assert not Finding.objects.filter(claim=claim).exists()


def test_every_kind_says_what_to_do():
    for kind in K.values:
        assert todo_for(kind)
