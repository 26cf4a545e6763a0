"""Helpers of the own-contribution, fee and travel-subsidy tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from billing.models import ExemptionGround, FeeExemption, TravelSubsidyApplication
from billing.services import payment_record


def exempt(learner, *, valid_from: dt.date, valid_until: dt.date, code: str = "buergergeld"):
    ground = ExemptionGround.objects.filter(code=code).first()
    return FeeExemption.objects.create(
        learner=learner,
        ground=ground,
        valid_from=valid_from,
        valid_until=valid_until,
        evidence="Bescheid",
    )


def apply_travel(learner, *, on: dt.date, km: str = "6.0"):
    """An application recorded on ``on`` (the service records now; tests move the clock)."""
    moment = timezone.make_aware(dt.datetime.combine(on, dt.time(10, 0)))
    application = TravelSubsidyApplication.objects.create(learner=learner, distance_km=Decimal(km))
    TravelSubsidyApplication.objects.filter(pk=application.pk).update(recorded_at=moment)
    application.refresh_from_db()
    return application


def pay(claim, enrolment, amount: str, on: dt.date, by, method: str = "cash"):
    return payment_record(
        claim=claim,
        enrolment=enrolment,
        amount=Decimal(amount),
        paid_on=on,
        method=method,
        by=by,
    )
