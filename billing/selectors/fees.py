"""Test fees on a claim: the placement tests, DTZ and LiD held for the module's learners, each
with the fee version in force on the day of the test (issued: as frozen on the claim)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from billing.models import Claim, ClaimTestFee, TestFee
from billing.rules import RuleBook
from certificates.models import TestResult
from courses.models import Course
from enrolment.models import Enrolment, PlacementResult

#: The certificates' exams that carry a BAMF test fee.
EXAM_FEES: dict[str, str] = {
    TestResult.Exam.DTZ: TestFee.Kind.DTZ,
    TestResult.Exam.LID: TestFee.Kind.LID,
}


@dataclass(frozen=True)
class TestFeeRow:
    """A test held for a learner of the claim, and its fee (``rule`` None: no fee rule in
    force on that day — the fee cannot be billed until one is entered)."""

    __test__ = False

    kind: str
    learner_id: int | None
    learner: str
    taken_on: date
    rule: TestFee | None
    amount: Decimal | None

    @property
    def kind_label(self) -> str:
        return str(TestFee.Kind(self.kind).label)


def compute_test_fees(claim: Claim, *, rules: RuleBook | None = None) -> list[TestFeeRow]:
    """Tests of the claim's module (see ``module_test_fees``)."""
    return module_test_fees(
        course=claim.course,
        module_id=claim.module_id,
        first_day=claim.first_day,
        last_day=claim.last_day,
        rules=rules,
    )


def module_test_fees(
    *,
    course: Course,
    module_id: int,
    first_day: date | None,
    last_day: date | None,
    rules: RuleBook | None = None,
) -> list[TestFeeRow]:
    """Tests of a module of a course, two queries (plus the rules when not given):

    - a placement test counts on the claim of the module the learner was placed in, in the
      course the learner is enrolled in (the test decided that start);
    - a DTZ or LiD test counts on the claim of the module it was recorded for, or — recorded
      without a module — of the module whose days include the test day."""
    rules = rules or RuleBook.load()
    learner_ids = Enrolment.objects.filter(course_id=course.pk).values("learner_id")
    rows: list[TestFeeRow] = []
    for result in (
        PlacementResult.objects.filter(
            placed_module_id=module_id,
            placed_course_type_id=course.course_type_id,
            booking__learner_id__in=learner_ids,
        )
        .select_related("booking__slot", "booking__learner")
        .order_by("booking__slot__date", "pk")
    ):
        day = result.booking.slot.date
        rows.append(_row(rules, TestFee.Kind.PLACEMENT, result.booking.learner, day))
    in_module = Q(module_id=module_id)
    if first_day and last_day:
        in_module |= Q(module__isnull=True, taken_on__range=(first_day, last_day))
    for test in (
        TestResult.objects.filter(course_id=course.pk, exam__in=list(EXAM_FEES))
        .filter(in_module)
        .select_related("learner")
        .order_by("taken_on", "pk")
    ):
        rows.append(_row(rules, EXAM_FEES[test.exam], test.learner, test.taken_on))
    return rows


def fee_rules() -> RuleBook:
    """Only the test-fee versions (one query), for the pre-check."""
    return RuleBook(
        rates=[], contributions=[], codes=[], test_fees=list(TestFee.objects.order_by("valid_from"))
    )


def _row(rules: RuleBook, kind: str, learner, day: date) -> TestFeeRow:
    rule = rules.test_fee(kind=kind, on=day)
    return TestFeeRow(
        kind=kind,
        learner_id=learner.pk,
        learner=learner.full_name,
        taken_on=day,
        rule=rule,
        amount=rule.amount if rule else None,
    )


def fees_total(rows: list[TestFeeRow]) -> Decimal:
    """The fees that can be billed (those with a rule version in force)."""
    return sum((r.amount for r in rows if r.amount is not None), Decimal(0))


def claim_test_fees(claim: Claim, *, rules: RuleBook | None = None) -> list[TestFeeRow]:
    """The frozen fees of an issued claim; the computed ones of a draft."""
    if claim.is_issued:
        return [
            TestFeeRow(
                kind=fee.kind,
                learner_id=fee.learner_id,
                learner=fee.learner_name,
                taken_on=fee.taken_on,
                rule=fee.rule,
                amount=fee.amount,
            )
            for fee in ClaimTestFee.objects.filter(claim=claim).select_related("rule")
        ]
    return compute_test_fees(claim, rules=rules)
