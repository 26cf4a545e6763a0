"""Writes of the test fees and the travel subsidy: fees frozen on an issued claim, and a
learner's travel-subsidy application recorded by staff."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from billing.models import Claim, ClaimTestFee, TravelSubsidyApplication
from billing.selectors.fees import TestFeeRow
from core.errors import DomainError
from people.models import Learner, User


def claim_fees_freeze(claim: Claim, rows: list[TestFeeRow]) -> list[ClaimTestFee]:
    """Store the fees that have a rule version on the claim being issued (inside its issue)."""
    return ClaimTestFee.objects.bulk_create(
        ClaimTestFee(
            claim=claim,
            kind=row.kind,
            learner_id=row.learner_id,
            learner_name=row.learner,
            taken_on=row.taken_on,
            rule=row.rule,
            amount=row.amount,
        )
        for row in rows
        if row.rule is not None and row.amount is not None
    )


@transaction.atomic
def travel_application_record(
    *, learner: Learner, distance_km: str | Decimal, evidence: str, by: User
) -> TravelSubsidyApplication:
    """Record a learner's application for the travel subsidy. It counts from now on: the
    recording time is the start, so it can never be backdated."""
    try:
        distance = Decimal(str(distance_km).replace(",", ".")).quantize(Decimal("0.1"))
    except InvalidOperation:
        distance = Decimal(-1)
    if distance < 0 or distance > Decimal("999.9"):
        raise DomainError(
            _("Enter the walking distance in kilometres."),
            code="distance_invalid",
            field="distance_km",
        )
    return TravelSubsidyApplication.objects.create(
        learner=learner,
        distance_km=distance,
        evidence=(evidence or "").strip()[:200],
        recorded_by=by,
    )
