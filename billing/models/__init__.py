"""BAMF billing per module (Kursabschnitt): the rule data, the claim and what is checked before it.

Rule data (rates, own contribution, which register codes are billable, exemption grounds) is
dated: a row holds from ``valid_from`` until the next version of the same rule, so a rule change
is a new row (a data migration naming its source), never an edit. Every figure of an issued claim
records the rule versions that produced it."""

from __future__ import annotations

from billing.models.bamf import BamfPayment
from billing.models.claims import (
    Claim,
    ClaimLine,
    ContributionPayment,
    CorrectionNote,
    Finding,
)
from billing.models.contributions import ContributionReminder
from billing.models.fees import ClaimTestFee, TestFee, TravelSubsidyApplication, TravelSubsidyRule
from billing.models.figures import ModuleFigures
from billing.models.inge import InGeReport, TeacherAdmission
from billing.models.rules import (
    CLAIM_COURSE_END,
    GROUND_LABELS,
    BillableCode,
    ExemptionGround,
    FeeExemption,
    OwnContribution,
    ReimbursementRate,
)

__all__ = [
    "CLAIM_COURSE_END",
    "GROUND_LABELS",
    "BamfPayment",
    "BillableCode",
    "Claim",
    "ClaimLine",
    "ClaimTestFee",
    "ContributionPayment",
    "ContributionReminder",
    "CorrectionNote",
    "ExemptionGround",
    "FeeExemption",
    "Finding",
    "InGeReport",
    "ModuleFigures",
    "OwnContribution",
    "ReimbursementRate",
    "TeacherAdmission",
    "TestFee",
    "TravelSubsidyApplication",
    "TravelSubsidyRule",
]
