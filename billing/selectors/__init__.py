"""Reads of billing: the claim of a module computed from the register, and its pre-check.

The attendance figures come from ``attendance.selectors.attendance_figures_by_module`` — the one
place UE held and attended are counted — and are not recounted here. Billing adds only what the
figures do not carry: the UE per register code (to apply the billable-code rules) and the
rule versions.

**A module spanning a rule change** is billed day by day by the rule in force on each day: the
module is cut into periods at every change (``RuleBook.periods``), the figures of a period are
the figures up to its last day less those up to the day before it begins, and each period
becomes its own line with its own rule versions. (BAMF's billing guideline bills UE at the rate
in force when they were taught; where BAMF decides otherwise for a module, the data can say so
with a rate version starting at the module's first day.)

The group-size tier of the rate is chosen by the number of learners on the claim (learners with
UE held in the module)."""

from __future__ import annotations

from billing.selectors.claims import (
    CENT,
    CLAIM_STATUSES,
    ENROLMENT_FIELDS,
    FLAG_GROUND,
    SESSION_FIELDS,
    ZERO,
    ClaimPart,
    ComputedClaim,
    LearnerClaim,
    claim_enrolment_rows,
    compute_claim,
    compute_claims,
    money,
)
from billing.selectors.precheck import (
    TODO,
    Problem,
    precheck,
    todo_for,
)
from billing.selectors.tables import (
    ClaimTable,
    ContributionRow,
    ModuleRow,
    TableRow,
    claim_findings,
    claim_table,
    contributions,
    module_rows,
)

__all__ = [
    "CENT",
    "CLAIM_STATUSES",
    "ENROLMENT_FIELDS",
    "FLAG_GROUND",
    "SESSION_FIELDS",
    "TODO",
    "ZERO",
    "ClaimPart",
    "ClaimTable",
    "ComputedClaim",
    "ContributionRow",
    "LearnerClaim",
    "ModuleRow",
    "Problem",
    "TableRow",
    "claim_enrolment_rows",
    "claim_findings",
    "claim_table",
    "compute_claim",
    "compute_claims",
    "contributions",
    "module_rows",
    "money",
    "precheck",
    "todo_for",
]
