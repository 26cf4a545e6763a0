"""Own contributions (Kostenbeitrag) per learner and module: what is due, paid and open, when it
fell due, and the reminders sent.

**What is due.** IntV § 9 Abs. 1: the learner pays the contribution per UE *for the whole
module, before it begins* — so the amount is the contribution rate × the UE of the module held
while the learner is enrolled in it (a late entrant pays from the entry day; absences, excused or
not, do not reduce it). A draft claim is therefore computed up to the module's last day (planned
days count), an issued claim reads its frozen lines (the same figure once the module is over).
The contribution falls due on the learner's first day in the module."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from billing.models import Claim, ClaimLine, ContributionPayment, ContributionReminder
from billing.rules import RuleBook
from billing.selectors.claims import ZERO, compute_claims


@dataclass(frozen=True)
class ContributionDue:
    """One learner's own contribution for one module."""

    claim: Claim
    enrolment_id: int
    learner_id: int
    learner: str
    exempt: bool
    due_on: date
    due: Decimal
    paid: Decimal
    reminders: tuple[ContributionReminder, ...] = ()

    @property
    def open(self) -> Decimal:
        return max(self.due - self.paid, ZERO)

    @property
    def last_reminder(self) -> ContributionReminder | None:
        return self.reminders[-1] if self.reminders else None


def contributions_due(
    claims: Sequence[Claim], *, rules: RuleBook | None = None
) -> list[ContributionDue]:
    """Due, paid and open for every learner of the claims: a fixed number of queries whatever
    the number of claims or learners (the lines, the drafts' computation, payments, reminders).
    The claims need ``course`` and ``module`` loaded."""
    if not claims:
        return []
    by_pk = {c.pk: c for c in claims}
    rows: dict[tuple[int, int], dict] = {}
    issued = [c.pk for c in claims if c.is_issued]
    if issued:
        for line in (
            ClaimLine.objects.filter(claim_id__in=issued)
            .select_related("enrolment")
            .only(
                "claim_id",
                "enrolment_id",
                "learner_name",
                "period_from",
                "exempt",
                "own_contribution",
                "enrolment__learner_id",
                "enrolment__start_date",
            )
            .order_by("claim_id", "learner_name", "period_from")
        ):
            key = (line.claim_id, line.enrolment_id)
            row = rows.setdefault(
                key,
                {
                    "learner_id": line.enrolment.learner_id,
                    "learner": line.learner_name,
                    "exempt": line.exempt,
                    "due_on": max(line.period_from, line.enrolment.start_date or line.period_from),
                    "due": ZERO,
                },
            )
            row["due"] += line.own_contribution
    drafts = [c for c in claims if not c.is_issued]
    if drafts:
        computed = compute_claims(
            [(c.course, c.module) for c in drafts], until=date.max, rules=rules
        )
        for claim, result in zip(drafts, computed, strict=True):
            for lc in result.learners:
                rows[(claim.pk, lc.enrolment.pk)] = {
                    "learner_id": lc.enrolment.learner_id,
                    "learner": lc.learner.full_name,
                    "exempt": lc.exempt,
                    "due_on": max(
                        lc.parts[0].period_from,
                        lc.enrolment.start_date or lc.parts[0].period_from,
                    ),
                    "due": lc.own_contribution,
                }
    paid: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for total in (
        ContributionPayment.objects.filter(claim_id__in=list(by_pk))
        .values("claim_id", "enrolment_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        paid[(total["claim_id"], total["enrolment_id"])] = total["total"] or ZERO
    reminders: dict[tuple[int, int], list[ContributionReminder]] = defaultdict(list)
    for reminder in ContributionReminder.objects.filter(claim_id__in=list(by_pk)).order_by(
        "step", "pk"
    ):
        reminders[(reminder.claim_id, reminder.enrolment_id)].append(reminder)
    return [
        ContributionDue(
            claim=by_pk[claim_id],
            enrolment_id=enrolment_id,
            learner_id=row["learner_id"],
            learner=row["learner"],
            exempt=row["exempt"],
            due_on=row["due_on"],
            due=row["due"],
            paid=paid[(claim_id, enrolment_id)],
            reminders=tuple(reminders[(claim_id, enrolment_id)]),
        )
        for (claim_id, enrolment_id), row in rows.items()
    ]


def reminder_step(*, due_on: date, today: date, steps: Sequence[int]) -> int:
    """The highest reminder step reached: step ``n`` (1-based) once the contribution is
    ``steps[n-1]`` days overdue; 0 before the first."""
    overdue = (today - due_on).days
    reached = 0
    for number, days in enumerate(steps, start=1):
        if overdue >= days:
            reached = number
    return reached
