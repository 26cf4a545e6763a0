"""Moving a referral along the allowed steps, with the date of each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError, DomainError
from jobcenter.models import FeedNotice
from jobcenter.services import feed_notice_record
from people.models import Organisation
from referrals.models import (
    STEP_DATE_FIELDS,
    Referral,
    Status,
)
from referrals.transitions import Status as Step
from referrals.transitions import TransitionError, move


class ReferralError(DomainError):
    pass


# --- steps -------------------------------------------------------------------------------------


#: The Jobcenter feed's notice for each step of a referral the Jobcenter sent.
NOTICE_TYPES: dict[str, str] = {
    Status.SENT: FeedNotice.Type.REFERRAL_SENT,
    Status.ACCEPTED: FeedNotice.Type.REFERRAL_ACCEPTED,
    Status.DECLINED: FeedNotice.Type.REFERRAL_DECLINED,
    Status.TEST_BOOKED: FeedNotice.Type.REFERRAL_TEST_BOOKED,
    Status.WAITING_LISTED: FeedNotice.Type.REFERRAL_WAITING_LISTED,
    Status.ENROLLED: FeedNotice.Type.REFERRAL_ENROLLED,
    Status.COURSE_STARTED: FeedNotice.Type.REFERRAL_COURSE_STARTED,
    Status.CLOSED: FeedNotice.Type.REFERRAL_CLOSED,
}


def _announce(referral: Referral, step: str, *, when: datetime) -> None:
    """Tell a sending Jobcenter about the step in its feed (issue 18), in the step's own
    transaction: what any sender sees, the step and its date, the decline reason or outcome
    code; never the receiver's note, attendance or course details."""
    if referral.sender_organisation.kind != Organisation.Kind.JOBCENTER:
        return
    data: dict[str, object] = {
        "referral_id": referral.pk,
        "client_reference": referral.client_reference,
        "customer_number": referral.customer_number,
        "status": step,
        "date": timezone.localdate(when).isoformat(),
    }
    if step == Status.DECLINED:
        data["decline_reason"] = referral.decline_reason
    if step == Status.CLOSED:
        data["outcome"] = referral.outcome
    feed_notice_record(
        jobcenter_id=referral.sender_organisation_id,
        type=NOTICE_TYPES[step],
        data=data,
        occurred_at=when,
    )


def _move(referral: Referral, target: str, *, now: datetime | None = None) -> Referral:
    """Move the (locked) referral one step; ``TransitionError`` when the table forbids it.
    A reason or outcome the step carries is set on the referral before."""
    now = now or timezone.now()
    referral.status = move(Step(referral.status), Step(target)).value
    setattr(referral, STEP_DATE_FIELDS[target], now)
    referral.last_moved_at = now
    referral.stalled_at = None
    _announce(referral, target, when=now)
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
