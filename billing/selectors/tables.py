"""Stored claims as staff read them: the module list with claim status, the claim table, findings and own contributions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, Min, QuerySet, Sum

from attendance.services.base import today
from billing.models import (
    Claim,
    ContributionPayment,
    Finding,
)
from billing.selectors.claims import ZERO, ComputedClaim, compute_claim
from courses.models import Course, Module, Session

# --- stored claims ------------------------------------------------------------------------------


@dataclass
class ModuleRow:
    """One module of a course on the billing list: its days, and its claim if one exists."""

    course: Course
    module: Module
    first_day: date
    last_day: date
    claim: Claim | None

    @property
    def finished(self) -> bool:
        return self.last_day <= today()


def module_rows(*, courses: QuerySet[Course]) -> list[ModuleRow]:
    """Every module taught in the courses, with its dates and claim: four queries in all,
    whatever the number of courses, modules or learners."""
    course_list = {c.pk: c for c in courses}
    spans = list(
        Session.objects.held()
        .filter(course__in=list(course_list))
        .values("course_id", "module_id")
        .annotate(first=Min("date"), last=Max("date"))
        .order_by()
    )
    claims = {
        (c.course_id, c.module_id): c
        for c in Claim.objects.filter(course__in=list(course_list)).only(
            "id", "course_id", "module_id", "status", "reimbursement_total", "issued_at"
        )
    }
    modules = {m.pk: m for m in Module.objects.filter(pk__in={s["module_id"] for s in spans})}
    rows = [
        ModuleRow(
            course=course_list[span["course_id"]],
            module=modules[span["module_id"]],
            first_day=span["first"],
            last_day=span["last"],
            claim=claims.get((span["course_id"], span["module_id"])),
        )
        for span in spans
    ]
    rows.sort(key=lambda r: (r.course.start_date, r.course.pk, r.module.order))
    return rows


@dataclass(frozen=True)
class TableRow:
    """One line of the claim as shown, printed and exported (issued: stored; draft: computed)."""

    enrolment_id: int
    learner: str
    bamf_number: str
    period_from: date
    period_to: date
    ue_held: int
    ue_attended: Decimal
    billable_ue: Decimal
    rate: Decimal
    reimbursement: Decimal
    own_contribution: Decimal
    exempt: bool
    exemption_ground: str
    travel_days: int = 0
    travel_subsidy: Decimal = ZERO
    travel_rule_id: int | None = None


@dataclass
class ClaimTable:
    rows: list[TableRow]

    @property
    def ue_held(self) -> int:
        return sum(r.ue_held for r in self.rows)

    @property
    def billable_ue(self) -> Decimal:
        return sum((r.billable_ue for r in self.rows), ZERO)

    @property
    def reimbursement(self) -> Decimal:
        return sum((r.reimbursement for r in self.rows), ZERO)

    @property
    def own_contribution(self) -> Decimal:
        return sum((r.own_contribution for r in self.rows), ZERO)

    @property
    def travel_days(self) -> int:
        return sum(r.travel_days for r in self.rows)

    @property
    def travel_subsidy(self) -> Decimal:
        return sum((r.travel_subsidy for r in self.rows), ZERO)


def claim_table(claim: Claim, computed: ComputedClaim | None = None) -> ClaimTable:
    """The issued lines of an issued claim; the computed figures of a draft."""
    if claim.is_issued:
        return ClaimTable(
            [
                TableRow(
                    enrolment_id=line.enrolment_id,
                    learner=line.learner_name,
                    bamf_number=line.bamf_number,
                    period_from=line.period_from,
                    period_to=line.period_to,
                    ue_held=line.ue_held,
                    ue_attended=line.ue_attended,
                    billable_ue=line.billable_ue,
                    rate=line.rate_amount,
                    reimbursement=line.reimbursement,
                    own_contribution=line.own_contribution,
                    exempt=line.exempt,
                    exemption_ground=line.exemption_ground,
                    travel_days=line.travel_days,
                    travel_subsidy=line.travel_subsidy,
                    travel_rule_id=line.travel_rule_id,
                )
                for line in claim.lines.order_by("learner_name", "period_from")
            ]
        )
    computed = computed or compute_claim(course=claim.course, module=claim.module)
    return ClaimTable(
        [
            TableRow(
                enrolment_id=lc.enrolment.pk,
                learner=lc.learner.full_name,
                bamf_number=lc.learner.bamf_number,
                period_from=part.period_from,
                period_to=part.period_to,
                ue_held=part.ue_held,
                ue_attended=part.ue_attended,
                billable_ue=part.billable_ue,
                rate=part.rate.amount,
                reimbursement=part.reimbursement,
                own_contribution=part.own_contribution,
                exempt=lc.exempt,
                exemption_ground=lc.exemption_ground,
                travel_days=part.travel_days,
                travel_subsidy=part.travel_subsidy,
                travel_rule_id=part.travel_rule.pk if part.travel_rule else None,
            )
            for lc in computed.learners
            for part in lc.parts
        ]
    )


def claim_findings(claim: Claim) -> list[Finding]:
    return list(
        claim.findings.select_related("enrolment__learner", "session", "acknowledged_by").order_by(
            "kind", "session__date", "pk"
        )
    )


@dataclass(frozen=True)
class ContributionRow:
    """A learner's own contribution for the module: due by the claim, paid, still open."""

    enrolment_id: int
    learner: str
    exempt: bool
    due: Decimal
    paid: Decimal

    @property
    def open(self) -> Decimal:
        return max(self.due - self.paid, ZERO)


def contributions(claim: Claim, table: ClaimTable) -> list[ContributionRow]:
    """Due (from the claim's lines), paid (recorded payments) and open, per learner (one query)."""
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for row in (
        ContributionPayment.objects.filter(claim=claim)
        .values("enrolment_id")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        paid[row["enrolment_id"]] = row["total"] or ZERO
    due: dict[int, ContributionRow] = {}
    for line in table.rows:
        before = due.get(line.enrolment_id)
        due[line.enrolment_id] = ContributionRow(
            enrolment_id=line.enrolment_id,
            learner=line.learner,
            exempt=line.exempt,
            due=(before.due if before else ZERO) + line.own_contribution,
            paid=paid[line.enrolment_id],
        )
    return list(due.values())
