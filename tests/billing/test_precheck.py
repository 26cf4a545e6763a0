"""The pre-check: each finding comes from exactly the defect that makes it, with the learner, the
day and what to do; a complete register has none."""

from __future__ import annotations

import pytest

from attendance.models import (
    AbsenceEvidence,
    AbsenceReason,
    AttendanceRecord,
    Code,
    Method,
    SessionSignOff,
)
from billing.models import Finding, InGeReport
from billing.selectors import compute_claim, precheck, todo_for
from tests.billing.conftest import enrol, inge_reported, mark
from tests.factories import LearnerFactory

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
    late = enrol(
        bill.course,
        LearnerFactory(provider=bill.a.provider, bamf_number="K-late"),
        start_date=bill.days[5].date,
    )
    inge_reported(bill.course, [late], bill.a.staff)
    for s in bill.days[5:]:
        mark(late, s, Code.PRESENT)
    assert found(bill) == [(K.LATE_ENTRY, late.pk, bill.days[5].pk)]


def test_entry_within_the_first_25_ue_is_on_time(bill):
    """Entry on the fifth day: 20 UE were held before it."""
    late = enrol(
        bill.course,
        LearnerFactory(provider=bill.a.provider, bamf_number="K-late"),
        start_date=bill.days[4].date,
    )
    inge_reported(bill.course, [late], bill.a.staff)
    for s in bill.days[4:]:
        mark(late, s, Code.PRESENT)
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


def test_every_kind_says_what_to_do():
    for kind in K.values:
        assert todo_for(kind)
