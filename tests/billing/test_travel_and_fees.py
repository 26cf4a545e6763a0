"""The travel subsidy (only exempt learners on a ground that allows it, a minimum distance, per
day counted, never backdated) and the test fees, each figure with the rule version behind it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from attendance.models import Code
from billing.models import (
    ClaimLine,
    ClaimTestFee,
    ExemptionGround,
    Finding,
    TestFee,
    TravelSubsidyRule,
)
from billing.selectors import compute_claim
from billing.selectors.fees import claim_test_fees
from billing.services import (
    claim_issue,
    claim_open,
    finding_acknowledge,
    travel_application_record,
)
from certificates.models import TestResult
from core.errors import DomainError
from enrolment.models import PlacementBooking, PlacementResult, PlacementSlot
from tests.billing.conftest import mark
from tests.billing.money import apply_travel, exempt
from tests.factories import register_fill

pytestmark = pytest.mark.django_db

DAY = Decimal("2.50")  # the seeded flat amount per day
ALL_YEAR = (dt.date(2025, 12, 1), dt.date(2026, 12, 31))


def travel_of(bill, index=0, module=None):
    computed = compute_claim(course=bill.course, module=module or bill.module)
    lc = next(c for c in computed.learners if c.enrolment == bill.enrolments[index])
    return lc.travel_days, lc.travel_subsidy


def test_an_exempt_learner_who_applied_before_the_module_gets_every_day_present(bill):
    exempt(bill.learners[0], valid_from=ALL_YEAR[0], valid_until=ALL_YEAR[1])
    apply_travel(bill.learners[0], on=dt.date(2026, 1, 2))
    assert travel_of(bill) == (20, 20 * DAY)
    assert travel_of(bill, 1) == (0, Decimal(0))  # pays the contribution: no subsidy


def test_never_backdated_an_application_during_the_module_counts_from_the_next(bill):
    """BAMF's rule (seeded): the application counts from the module that begins after it."""
    exempt(bill.learners[0], valid_from=ALL_YEAR[0], valid_until=ALL_YEAR[1])
    apply_travel(bill.learners[0], on=dt.date(2026, 1, 10))
    assert travel_of(bill) == (0, Decimal(0))
    second = bill.course.course_type.modules.get(order=bill.module.order + 1)
    days = list(bill.course.sessions.held().filter(module=second).order_by("date")[:3])
    register_fill(bill.enrolments[0], days, [Code.PRESENT] * 3)
    assert travel_of(bill, module=second) == (3, 3 * DAY)


def test_never_backdated_counting_from_the_day_recorded(bill):
    """A rule version counting from the day: only days on or after the recording day."""
    TravelSubsidyRule.objects.update(starts=TravelSubsidyRule.Start.DAY)
    exempt(bill.learners[0], valid_from=ALL_YEAR[0], valid_until=ALL_YEAR[1])
    apply_travel(bill.learners[0], on=dt.date(2026, 1, 10))  # a Saturday
    # 12–16, 19–23, 26–30 January: 15 days, none of the 5 before.
    assert travel_of(bill) == (15, 15 * DAY)


def test_the_service_records_now_and_takes_no_date(bill):
    application = travel_application_record(
        learner=bill.learners[0], distance_km="7,5", evidence="Routenplaner", by=bill.a.staff
    )
    assert application.distance_km == Decimal("7.5")
    with pytest.raises(TypeError):
        travel_application_record(  # type: ignore[call-arg]
            learner=bill.learners[0],
            distance_km="7",
            evidence="",
            by=bill.a.staff,
            recorded_at=dt.datetime(2025, 1, 1),
        )
    with pytest.raises(DomainError):
        travel_application_record(
            learner=bill.learners[0], distance_km="far", evidence="", by=bill.a.staff
        )


def test_distance_ground_codes_and_evidence_validity_limit_the_days(bill):
    learner, enrolment = bill.learners[0], bill.enrolments[0]
    apply_travel(learner, on=dt.date(2026, 1, 2), km="4.9")  # below the 5.0 km minimum
    exempt(learner, valid_from=ALL_YEAR[0], valid_until=ALL_YEAR[1])
    assert travel_of(bill) == (0, Decimal(0))
    apply_travel(learner, on=dt.date(2026, 1, 2), km="5.0")
    assert travel_of(bill) == (20, 20 * DAY)
    # Unexcused days do not count; excused days do (X, P, E as the rule says).
    mark(enrolment, bill.days[0], Code.UNEXCUSED)
    mark(enrolment, bill.days[1], Code.EXCUSED)
    assert travel_of(bill) == (19, 19 * DAY)


def test_only_days_with_valid_evidence_on_a_ground_allowing_it(bill):
    learner = bill.learners[0]
    apply_travel(learner, on=dt.date(2026, 1, 2))
    # Exempt at entry, but the evidence ends on Friday 16 January: 10 days.
    exempt(learner, valid_from=dt.date(2025, 12, 1), valid_until=dt.date(2026, 1, 16))
    assert travel_of(bill) == (10, 10 * DAY)
    other = bill.learners[1]
    apply_travel(other, on=dt.date(2026, 1, 2))
    ground = ExemptionGround.objects.create(
        code="no_travel",
        name="Ohne Fahrtkosten",
        valid_from=dt.date(2024, 1, 1),
        travel_subsidy=False,
        source="Test",
    )
    exempt(other, valid_from=ALL_YEAR[0], valid_until=ALL_YEAR[1], code=ground.code)
    assert travel_of(bill, 1) == (0, Decimal(0))


def test_issued_lines_keep_the_travel_figures_and_rule_version(bill):
    exempt(bill.learners[0], valid_from=ALL_YEAR[0], valid_until=ALL_YEAR[1])
    apply_travel(bill.learners[0], on=dt.date(2026, 1, 2))
    claim = claim_issue(claim=claim_open(course=bill.course, module=bill.module), by=bill.a.staff)
    line = ClaimLine.objects.get(claim=claim, enrolment=bill.enrolments[0])
    rule = TravelSubsidyRule.objects.get()
    assert (line.travel_days, line.travel_subsidy, line.travel_rule) == (20, Decimal("50.00"), rule)
    others = ClaimLine.objects.filter(claim=claim).exclude(enrolment=bill.enrolments[0])
    assert {(o.travel_days, o.travel_rule_id) for o in others} == {(0, None)}


def test_a_travel_rule_change_inside_the_module_splits_the_line(bill):
    exempt(bill.learners[0], valid_from=ALL_YEAR[0], valid_until=ALL_YEAR[1])
    apply_travel(bill.learners[0], on=dt.date(2026, 1, 2))
    new = TravelSubsidyRule.objects.create(
        valid_from=dt.date(2026, 1, 19),
        amount_per_day=Decimal("3.00"),
        min_distance_km=Decimal("5.0"),
        source="Test",
    )
    computed = compute_claim(course=bill.course, module=bill.module)
    lc = next(c for c in computed.learners if c.enrolment == bill.enrolments[0])
    assert [(p.travel_days, p.travel_subsidy, p.travel_rule) for p in lc.parts] == [
        (10, Decimal("25.00"), TravelSubsidyRule.objects.get(valid_from=dt.date(2024, 1, 1))),
        (10, Decimal("30.00"), new),
    ]


# --- test fees -----------------------------------------------------------------------------


@pytest.fixture
def fees():
    old = TestFee.objects.create(
        kind=TestFee.Kind.DTZ, valid_from=dt.date(2024, 1, 1), amount=Decimal("100.00"), source="A"
    )
    new = TestFee.objects.create(
        kind=TestFee.Kind.DTZ, valid_from=dt.date(2026, 1, 15), amount=Decimal("120.00"), source="B"
    )
    placement = TestFee.objects.create(
        kind=TestFee.Kind.PLACEMENT,
        valid_from=dt.date(2024, 1, 1),
        amount=Decimal("40.00"),
        source="C",
    )
    return old, new, placement


def test_fees_of_the_modules_tests_with_the_version_in_force_that_day(bill, fees):
    old, new, placement = fees
    a, b, c = bill.learners
    TestResult.objects.create(
        learner=a,
        course=bill.course,
        module=bill.module,
        exam="dtz",
        taken_on=dt.date(2026, 1, 14),
        result="B1",
    )
    TestResult.objects.create(  # no module: by the day, inside the module
        learner=b, course=bill.course, exam="dtz", taken_on=dt.date(2026, 1, 20), result="A2"
    )
    TestResult.objects.create(  # no LiD fee rule: shown without a figure
        learner=c,
        course=bill.course,
        module=bill.module,
        exam="lid",
        taken_on=dt.date(2026, 1, 21),
        result="20/33",
    )
    TestResult.objects.create(  # another module's day: not on this claim
        learner=c, course=bill.course, exam="dtz", taken_on=dt.date(2026, 3, 2), result="B1"
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
    claim = claim_open(course=bill.course, module=bill.module)
    claim.first_day, claim.last_day = bill.days[0].date, bill.days[-1].date
    rows = claim_test_fees(claim)
    got = {(r.kind, r.learner_id, r.taken_on, r.amount, r.rule) for r in rows}
    assert len(rows) == 4
    assert got == {
        ("placement", a.pk, dt.date(2025, 12, 1), Decimal("40.00"), placement),
        ("dtz", a.pk, dt.date(2026, 1, 14), Decimal("100.00"), old),
        ("dtz", b.pk, dt.date(2026, 1, 20), Decimal("120.00"), new),
        ("lid", c.pk, dt.date(2026, 1, 21), None, None),
    }

    # The LiD without a fee rule is a pre-check finding: staff acknowledge it to issue.
    with pytest.raises(DomainError):
        claim_issue(claim=claim, by=bill.a.staff)
    finding = Finding.objects.get(claim=claim, kind=Finding.Kind.NO_FEE_RULE)
    assert (finding.test, finding.day) == ("lid", dt.date(2026, 1, 21))
    finding_acknowledge(finding=finding, by=bill.a.staff, reason="LiD-Gebühr folgt")
    claim_issue(claim=claim, by=bill.a.staff)
    frozen = {
        (f.kind, f.learner_id): (f.amount, f.rule) for f in ClaimTestFee.objects.filter(claim=claim)
    }
    assert frozen == {
        ("placement", a.pk): (Decimal("40.00"), placement),
        ("dtz", a.pk): (Decimal("100.00"), old),
        ("dtz", b.pk): (Decimal("120.00"), new),
    }
    # A later fee version does not change the issued claim's fees.
    TestFee.objects.create(
        kind=TestFee.Kind.DTZ, valid_from=dt.date(2026, 1, 10), amount=Decimal("999.00"), source="D"
    )
    claim.refresh_from_db()
    assert {(r.kind, r.learner_id, r.amount) for r in claim_test_fees(claim)} == {
        ("placement", a.pk, Decimal("40.00")),
        ("dtz", a.pk, Decimal("100.00")),
        ("dtz", b.pk, Decimal("120.00")),
    }
