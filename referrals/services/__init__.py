"""Every write about referrals: create (consent first), accept, decline, match, close, revoke a
consent, the automatic steps from enrolment and placement bookings, and the daily stall flag.

Every step goes through ``_move``, which asks ``referrals.transitions`` whether it is allowed,
stamps the step's date and clears the stall flag. The automatic steps arrive as signals from the
lower apps (``people.signals.learner_event_recorded``, ``enrolment.signals.placement_booked``),
connected in ``referrals.receivers``; they run inside the enrolment service's transaction."""

from __future__ import annotations

from referrals.services.automatic import (
    CLOSES_FROM,
    EVENT_OUTCOMES,
    EVENT_STEPS,
    on_learner_event,
    on_placement_booked,
    referrals_advance,
    referrals_flag_stalled,
)
from referrals.services.consent import (
    consent_code_issue,
    consent_confirm,
    consent_for_code,
    consent_refuse,
)
from referrals.services.create import (
    ConsentInput,
    referral_create,
)
from referrals.services.reads import (
    Read,
    received_fields,
    referral_reads_attach,
    referral_reads_log,
    status_read_record,
)
from referrals.services.receiver import (
    consent_revoke,
    referral_accept,
    referral_close,
    referral_decline,
    referral_learner_create,
    referral_match,
    referral_note,
)
from referrals.services.steps import (
    ReferralError,
)

__all__ = [
    "CLOSES_FROM",
    "EVENT_OUTCOMES",
    "EVENT_STEPS",
    "ConsentInput",
    "Read",
    "ReferralError",
    "consent_code_issue",
    "consent_confirm",
    "consent_for_code",
    "consent_refuse",
    "consent_revoke",
    "on_learner_event",
    "on_placement_booked",
    "received_fields",
    "referral_accept",
    "referral_close",
    "referral_create",
    "referral_decline",
    "referral_learner_create",
    "referral_match",
    "referral_note",
    "referral_reads_attach",
    "referral_reads_log",
    "referrals_advance",
    "referrals_flag_stalled",
    "status_read_record",
]
