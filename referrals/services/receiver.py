"""The receiving provider's steps: accept, decline, note, match to a learner (or create one), close; revoking consent."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError
from people.models import Learner, User
from referrals import selectors
from referrals.models import (
    STEP_DATE_FIELDS,
    Consent,
    DataItem,
    DeclineReason,
    Outcome,
    Referral,
    Status,
)
from referrals.services.reads import referral_reads_attach
from referrals.services.steps import ReferralError, _locked, _move, _step
from referrals.transitions import Status as Step
from referrals.transitions import can_move

# --- the receiver's steps ----------------------------------------------------------------------


@transaction.atomic
def referral_accept(
    *, referral: Referral, by: User | None, learner: Learner | None = None
) -> Referral:
    """The receiving provider takes the person on (optionally matching a learner record)."""
    referral = _locked(referral)
    _step(referral, Status.ACCEPTED)
    if learner is not None:
        _match(referral, learner=learner, by=by)
    return referral


@transaction.atomic
def referral_decline(
    *, referral: Referral, by: User | None, reason: str, receiver_note: str = ""
) -> Referral:
    if reason not in DeclineReason.values:
        raise ReferralError(
            _("Choose a reason from the list."), code="reason_required", field="reason"
        )
    referral = _locked(referral)
    referral.decline_reason = reason
    if receiver_note.strip():
        referral.receiver_note = receiver_note.strip()
    return _step(referral, Status.DECLINED, fields=["decline_reason", "receiver_note"])


@transaction.atomic
def referral_close(*, referral: Referral, by: User | None, outcome: str) -> Referral:
    if outcome not in Outcome.values:
        raise ReferralError(
            _("Choose an outcome from the list."), code="outcome_required", field="outcome"
        )
    referral = _locked(referral)
    referral.outcome = outcome
    return _step(referral, Status.CLOSED, fields=["outcome"])


@transaction.atomic
def referral_note(*, referral: Referral, by: User | None, receiver_note: str) -> Referral:
    """The receiver's own note (never shown to the sender)."""
    referral = _locked(referral)
    referral.receiver_note = receiver_note.strip()[:2000]
    referral.save(update_fields=["receiver_note"])
    return referral


def _match(referral: Referral, *, learner: Learner, by: User | None) -> None:
    if learner.provider_id != referral.receiver_id:
        raise ReferralError(
            _("The learner is registered with another provider."),
            code="foreign_learner",
            field="learner",
        )
    if referral.status in (Status.SENT, Status.DECLINED, Status.CLOSED):
        raise ConflictError(
            _("Accept the referral before matching a learner."), code="transition_not_allowed"
        )
    if DataItem.IDENTITY not in referral.shared_items():
        raise ConflictError(
            _("The person's consent does not cover their identity any more."),
            code="consent_revoked",
        )
    referral.learner = learner
    referral.matched_by = by
    referral.matched_at = timezone.now()
    referral.save(update_fields=["learner", "matched_by", "matched_at"])
    referral_reads_attach(referral)
    _catch_up(referral)


def _steps_reached(learner: Learner, *, since: date) -> list[str]:
    """The steps the learner has already taken at their provider (booked, waiting, enrolled,
    started), so that a referral matched late is not re-typed."""
    from enrolment.models import Enrolment, PlacementBooking, WaitlistWish

    steps: list[str] = []
    if PlacementBooking.objects.filter(learner=learner, slot__date__gte=since).exists():
        steps.append(Status.TEST_BOOKED)
    enrolments = Enrolment.objects.filter(learner=learner)
    waiting = (
        enrolments.filter(
            status__in=[Enrolment.Status.WAITLISTED, Enrolment.Status.OFFERED]
        ).exists()
        or WaitlistWish.objects.filter(
            learner=learner, status__in=[WaitlistWish.Status.ACTIVE, WaitlistWish.Status.OFFERED]
        ).exists()
    )
    if waiting:
        steps.append(Status.WAITING_LISTED)
    enrolled = enrolments.filter(status=Enrolment.Status.ENROLLED).order_by("-pk").first()
    if enrolled is not None:
        steps.append(Status.ENROLLED)
        if enrolled.course_started_recorded:
            steps.append(Status.COURSE_STARTED)
    return steps


def _catch_up(referral: Referral) -> None:
    """Move a just-matched referral along the steps its learner has already taken."""
    if referral.learner is None:
        return
    for target in _steps_reached(referral.learner, since=timezone.localdate(referral.sent_at)):
        if can_move(Step(referral.status), Step(target)):
            _move(referral, target)
            referral.save(
                update_fields=["status", STEP_DATE_FIELDS[target], "last_moved_at", "stalled_at"]
            )


@transaction.atomic
def referral_match(*, referral: Referral, learner: Learner, by: User | None) -> Referral:
    """Staff confirm that the referred person is this learner record of theirs."""
    referral = _locked(referral)
    _match(referral, learner=learner, by=by)
    return referral


@transaction.atomic
def referral_learner_create(
    *, referral: Referral, by: User | None, not_a_duplicate: bool = False
) -> Learner:
    """A new learner record at the receiver from the referral's data set. A probable duplicate
    (same name and birth date, or the Jobcenter's customer number) must be matched instead, or
    staff confirm that it is another person."""
    referral = _locked(referral)
    if not not_a_duplicate and selectors.duplicate_candidates(referral):
        raise ConflictError(
            _("A learner with this name and date of birth exists: confirm the match instead."),
            code="probable_duplicate",
        )
    items = referral.shared_items()
    if DataItem.IDENTITY not in items:
        raise ConflictError(
            _("The person's consent does not cover their identity any more."),
            code="consent_revoked",
        )
    learner = Learner.objects.create(
        provider=referral.receiver,
        first_name=referral.first_name,
        last_name=referral.last_name,
        date_of_birth=referral.date_of_birth,
        phone=referral.phone if DataItem.CONTACT in items else "",
        email=referral.email if DataItem.CONTACT in items else "",
    )
    _match(referral, learner=learner, by=by)
    return learner


# --- consent -----------------------------------------------------------------------------------


@transaction.atomic
def consent_revoke(*, consent: Consent, by: User | None) -> Consent:
    """The person withdraws their consent: from now on the receiver sees none of the data it
    covered (``Referral.shared_items``). Kept as the record that consent existed."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.revoked_by = by
        consent.save(update_fields=["revoked_at", "revoked_by"])
    return consent
