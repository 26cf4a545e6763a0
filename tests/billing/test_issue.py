"""Issuing a claim: only when the pre-check is clean or acknowledged; issued figures are frozen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from attendance.models import AttendanceRecord, SessionSignOff
from attendance.services.register import record_set
from billing.models import Claim, ClaimLine, CorrectionNote, Finding, ReimbursementRate
from billing.services import claim_issue, claim_open, claim_refresh, finding_acknowledge
from core.errors import DomainError
from tests.factories import SessionSignOffFactory, make_course

pytestmark = pytest.mark.django_db


def test_a_clean_claim_is_issued_with_its_rule_versions(bill):
    claim = claim_open(course=bill.course, module=bill.module)
    claim_issue(claim=claim, by=bill.a.staff)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ISSUED and claim.issued_by == bill.a.staff
    lines = list(claim.lines.all())
    assert len(lines) == 3
    rate = ReimbursementRate.objects.get()
    for line in lines:
        assert line.rate == rate and line.rate_amount == Decimal("4.58")
        assert line.contribution is not None and line.contribution_amount == Decimal("2.29")
        assert line.billable_ue == 100 and line.reimbursement == Decimal("458.00")
        assert len(line.code_rules) == 5
    assert claim.reimbursement_total == Decimal("1374.00")


def test_open_findings_block_the_issue_until_acknowledged(bill):
    SessionSignOff.objects.filter(session=bill.days[2]).delete()
    claim = claim_open(course=bill.course, module=bill.module)
    with pytest.raises(DomainError) as exc:
        claim_issue(claim=claim, by=bill.a.staff)
    assert exc.value.code == "open_findings"
    finding = Finding.objects.get(claim=claim)
    assert finding.kind == Finding.Kind.UNSIGNED_DAY and finding.session == bill.days[2]
    with pytest.raises(DomainError) as exc:
        finding_acknowledge(finding=finding, by=bill.a.staff, reason="  ")
    assert exc.value.code == "reason_required"
    finding_acknowledge(
        finding=finding,
        by=bill.a.staff,
        reason="Lehrkraft erkrankt; Liste liegt unterschrieben vor",
    )
    claim_issue(claim=claim, by=bill.a.staff)
    assert Claim.objects.get(pk=claim.pk).is_issued


def test_an_acknowledgement_survives_a_refresh_and_a_fixed_defect_goes(bill):
    SessionSignOff.objects.filter(session__in=bill.days[2:4]).delete()
    claim = claim_open(course=bill.course, module=bill.module)
    claim_refresh(claim=claim)
    first, _second = claim.findings.order_by("session__date")
    finding_acknowledge(finding=first, by=bill.a.staff, reason="liegt vor")
    SessionSignOffFactory(session=bill.days[3], signed_by=bill.a.teacher)
    claim_refresh(claim=claim)
    assert list(claim.findings.values_list("pk", "reason")) == [(first.pk, "liegt vor")]


def test_a_module_not_finished_cannot_be_issued(world):
    course = make_course(
        provider=world.a.provider, location=world.a.location, bamf_course_number="IK-1"
    )
    claim = claim_open(course=course, module=course.first_module)
    with pytest.raises(DomainError) as exc:
        claim_issue(claim=claim, by=world.a.staff)
    assert exc.value.code == "module_not_finished"


def test_an_issued_claim_cannot_be_issued_again(bill):
    claim = claim_open(course=bill.course, module=bill.module)
    claim_issue(claim=claim, by=bill.a.staff)
    with pytest.raises(DomainError) as exc:
        claim_issue(claim=claim, by=bill.a.staff)
    assert exc.value.code == "claim_issued"


def test_a_register_correction_adds_a_note_and_never_changes_the_issued_figures(
    bill, django_capture_on_commit_callbacks
):
    claim = claim_open(course=bill.course, module=bill.module)
    claim_issue(claim=claim, by=bill.a.staff)
    before = list(ClaimLine.objects.filter(claim=claim).values().order_by("pk"))
    e, day = bill.enrolments[0], bill.days[4]
    with django_capture_on_commit_callbacks(execute=True):
        record_set(session=day, enrolment=e, by=bill.a.staff, code="U", reason="war doch nicht da")
    assert AttendanceRecord.objects.get(session=day, enrolment=e).code == "U"
    assert list(ClaimLine.objects.filter(claim=claim).values().order_by("pk")) == before
    claim.refresh_from_db()
    assert claim.reimbursement_total == Decimal("1374.00") and claim.is_issued
    note = CorrectionNote.objects.get(claim=claim)
    changed = {c["field"]: (c["issued"], c["now"]) for c in note.changes}
    assert changed["billable_ue"] == ("100.00", "95.00")
    assert changed["reimbursement"] == ("458.00", "435.10")
    assert note.changes[0]["learner"] == e.learner.full_name
    # The same state does not make a second note.
    from billing.services import claim_corrections_check

    claim_corrections_check(claim=claim)
    assert CorrectionNote.objects.filter(claim=claim).count() == 1


def test_a_rate_added_later_does_not_change_an_issued_claim(bill):
    claim = claim_open(course=bill.course, module=bill.module)
    claim_issue(claim=claim, by=bill.a.staff)
    ReimbursementRate.objects.create(
        valid_from=dt.date(2026, 1, 1), amount=Decimal("9.99"), source="test"
    )
    assert ClaimLine.objects.filter(claim=claim, rate_amount=Decimal("4.58")).count() == 3
