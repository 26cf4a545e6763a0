"""Moving a referral along the allowed steps, with the date of each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError, DomainError
from referrals.models import (
    STEP_DATE_FIELDS,
    Referral,
)
from referrals.transitions import Status as Step
from referrals.transitions import TransitionError, move


class ReferralError(DomainError):
    pass


# --- steps -------------------------------------------------------------------------------------


def _move(referral: Referral, target: str, *, now: datetime | None = None) -> Referral:
    """Move the (locked) referral one step; ``TransitionError`` when the table forbids it."""
    now = now or timezone.now()
    referral.status = move(Step(referral.status), Step(target)).value
    setattr(referral, STEP_DATE_FIELDS[target], now)
    referral.last_moved_at = now
    referral.stalled_at = None
    return referral


def _step(referral: Referral, target: str, *, fields: Iterable[str] = ()) -> Referral:
    """A step asked for by a person: a forbidden one is a 409 with a stable code."""
    try:
        _move(referral, target)
    except TransitionError as exc:
        raise ConflictError(
            _("This step is not possible in the referral's current state."),
            code="transition_not_allowed",
        ) from exc
    referral.save(
        update_fields=[
            "status",
            STEP_DATE_FIELDS[target],
            "last_moved_at",
            "stalled_at",
            *fields,
        ]
    )
    return referral


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update()
        .select_related("sender_organisation", "receiver")
        .get(pk=referral.pk)
    )
