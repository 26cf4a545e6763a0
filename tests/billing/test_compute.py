"""The claim of a module computed from the register, with the rule versions in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from attendance.models import Code
from attendance.selectors import attendance_figures_by_module
from billing.models import (
    BillableCode,
    ExemptionGround,
    FeeExemption,
    OwnContribution,
    ReimbursementRate,
)
from billing.selectors import compute_claim
from tests.billing.conftest import mark
from tests.factories import EnrolmentFactory, LearnerFactory, register_fill

pytestmark = pytest.mark.django_db


def test_seeded_rules_have_sources():
    rate = ReimbursementRate.objects.get()
    assert rate.amount == Decimal("4.58") and "Issue 19" in rate.source
    assert OwnContribution.objects.get().amount == Decimal("2.29")
    billable = dict(BillableCode.objects.values_list("code", "billable"))
    assert billable == {"X": True, "P": True, "E": True, "U": False, "W": False}
    assert {"buergergeld", "social_assistance", "asylum_benefits"} <= set(
        ExemptionGround.objects.values_list("code", flat=True)
    )


def test_full_attendance_is_billed_in_full(bill):
    claim = compute_claim(course=bill.course, module=bill.module)
    assert claim.finished and claim.group_size == 3
    assert [c.ue_held for c in claim.learners] == [100, 100, 100]
    for line in claim.learners:
        assert line.billable_ue == Decimal(100)
        assert line.reimbursement == Decimal("458.00")
        assert line.own_contribution == Decimal("229.00")
        assert line.parts[0].rate.amount == Decimal("4.58")
    assert claim.reimbursement == Decimal("1374.00")


def test_codes_decide_what_is_billable(bill):
    e = bill.enrolments[0]
    mark(e, bill.days[0], Code.EXCUSED)  # E: whole day counts
    mark(e, bill.days[1], Code.UNEXCUSED)  # U: not billed
    mark(e, bill.days[2], Code.CHANGED)  # W: not billed
    mark(e, bill.days[3], Code.INTERNSHIP)  # P: counts
    mark(e, bill.days[4], Code.PRESENT, ue_attended=Decimal("3.50"))  # late: attended share
    claim = compute_claim(course=bill.course, module=bill.module)
    mine = next(c for c in claim.learners if c.enrolment == e)
    assert mine.ue_held == 100
    assert mine.billable_ue == Decimal("88.50")  # 100 - 5 (U) - 5 (W) - 1.5 (late)
    assert mine.reimbursement == Decimal("405.33")  # 88.5 × 4.58 = 405.33
    # Attended UE are the register's figures, not recounted.
    figures = attendance_figures_by_module([e], until=dt.date(2026, 1, 30))[e.pk][bill.module.pk]
    assert mine.ue_attended == figures.ue_attended == Decimal("83.50")


def test_exempt_learner_owes_nothing(bill):
    learner = bill.learners[1]
    ground = ExemptionGround.objects.get(code="buergergeld")
    FeeExemption.objects.create(
        learner=learner,
        ground=ground,
        valid_from=dt.date(2025, 10, 1),
        valid_until=dt.date(2026, 9, 30),
    )
    bill.learners[2].fee_exempt = True
    bill.learners[2].save()
    claim = compute_claim(course=bill.course, module=bill.module)
    by_learner = {c.learner.pk: c for c in claim.learners}
    assert by_learner[bill.learners[0].pk].own_contribution == Decimal("229.00")
    assert (
        by_learner[learner.pk].exempt and by_learner[learner.pk].exemption_ground == "buergergeld"
    )
    assert by_learner[learner.pk].own_contribution == 0
    assert by_learner[bill.learners[2].pk].exemption_ground == "fee_exempt"


def test_an_expired_exemption_does_not_count(bill):
    ground = ExemptionGround.objects.get(code="buergergeld")
    FeeExemption.objects.create(
        learner=bill.learners[0],
        ground=ground,
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2025, 12, 31),
    )
    claim = compute_claim(course=bill.course, module=bill.module)
    assert not claim.learners[0].exempt if claim.learners[0].learner == bill.learners[0] else True


def test_a_module_spanning_a_rate_change_is_billed_by_the_day(bill):
    """From Monday 19 January a new rate: the first two weeks at 4.58, the last two at 5.00."""
    ReimbursementRate.objects.create(
        valid_from=dt.date(2026, 1, 19), amount=Decimal("5.00"), source="test"
    )
    claim = compute_claim(course=bill.course, module=bill.module)
    line = claim.learners[0]
    assert [(p.period_from, p.period_to) for p in line.parts] == [
        (dt.date(2026, 1, 5), dt.date(2026, 1, 18)),
        (dt.date(2026, 1, 19), dt.date(2026, 1, 30)),
    ]
    assert [p.ue_held for p in line.parts] == [50, 50]
    assert [p.rate.amount for p in line.parts] == [Decimal("4.58"), Decimal("5.00")]
    assert line.reimbursement == Decimal("229.00") + Decimal("250.00")
    assert line.ue_held == 100


def test_group_size_tiers(bill):
    """A tier from 3 learners on pays less; a group of two stays on the base tier."""
    base = ReimbursementRate.objects.get()
    base.max_group_size = 2
    base.save()
    ReimbursementRate.objects.create(
        valid_from=base.valid_from, min_group_size=3, amount=Decimal("4.00"), source="test"
    )
    claim = compute_claim(course=bill.course, module=bill.module)
    assert claim.group_size == 3 and claim.learners[0].parts[0].rate.amount == Decimal("4.00")


def test_late_entry_and_leaving_count_only_their_days(bill):
    late = EnrolmentFactory(
        course=bill.course,
        learner=LearnerFactory(provider=bill.a.provider),
        start_date=bill.days[10].date,
    )
    register_fill(late, bill.days[10:], [Code.PRESENT] * 10)
    claim = compute_claim(course=bill.course, module=bill.module)
    mine = next(c for c in claim.learners if c.enrolment == late)
    assert mine.ue_held == 50 and mine.billable_ue == 50 and claim.group_size == 4


def test_query_count_does_not_grow_with_learners(bill, django_assert_num_queries):
    """Rules (4), course type, sessions, enrolments, figures (2), UE per code, exemptions."""
    with django_assert_num_queries(14):
        compute_claim(course=bill.course, module=bill.module)
    for _ in range(5):
        EnrolmentFactory(course=bill.course, learner=LearnerFactory(provider=bill.a.provider))
    bill.course.refresh_from_db()
    with django_assert_num_queries(14):
        claim = compute_claim(course=bill.course, module=bill.module)
    assert claim.group_size == 8


def test_many_modules_at_once_equal_one_by_one(bill, django_assert_num_queries):
    from billing.selectors import compute_claims
    from tests.certificates.helpers import running_course

    other = running_course(bill.a.provider, location=bill.a.location)
    EnrolmentFactory(course=other, learner=LearnerFactory(provider=bill.a.provider))
    modules = list(bill.course.course_type.modules.order_by("order"))[:3]
    pairs = [(bill.course, m) for m in modules] + [(other, other.first_module)]
    with django_assert_num_queries(14):
        together = compute_claims(pairs)
    for (course, module), claim in zip(pairs, together, strict=True):
        alone = compute_claim(course=course, module=module)
        assert [
            (c.enrolment.pk, c.ue_held, c.billable_ue, c.reimbursement) for c in alone.learners
        ] == [(c.enrolment.pk, c.ue_held, c.billable_ue, c.reimbursement) for c in claim.learners]
    assert together[0].reimbursement == Decimal("1374.00")
    assert together[1].reimbursement == 0  # module 2: nobody has a code, nothing billable


def test_a_change_of_the_code_rules_applies_from_its_day(bill):
    """From 19 January excused days are no longer billed: E before counts, E after does not;
    each line names the code-rule versions it used."""
    e = bill.enrolments[0]
    mark(e, bill.days[0], Code.EXCUSED)
    mark(e, bill.days[-1], Code.EXCUSED)
    new = BillableCode.objects.create(
        code="E", valid_from=dt.date(2026, 1, 19), billable=False, source="test"
    )
    claim = compute_claim(course=bill.course, module=bill.module)
    mine = next(c for c in claim.learners if c.enrolment == e)
    assert [p.billable_ue for p in mine.parts] == [Decimal(50), Decimal(45)]
    assert new.pk not in mine.parts[0].code_rules and new.pk in mine.parts[1].code_rules
