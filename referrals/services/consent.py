"""Consent confirmed by the person with a code: the counsellor records the consent as pending,
the person reads on their phone which data goes to whom for what and confirms it there.

The code is the learners' one-time code (``enrolment.services.one_time_code``: the same
alphabet, length and hashing); only its hash is kept, on the consent itself, because the person
is often nobody's learner yet. Until the person confirms, the receiver sees no personal data
(``Referral.active_consent`` ignores a pending consent).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.services import code_hash, one_time_code
from people.models import User
from referrals.models import Consent, Status
from referrals.services.steps import ReferralError


def _new_code(consent: Consent) -> str:
    code = one_time_code()
    consent.code_hash = code.hash
    consent.code_expires_at = timezone.now() + timedelta(days=settings.REFERRAL_CONSENT_CODE_DAYS)
    return code.plain


@transaction.atomic
def consent_code_issue(*, consent: Consent, by: User | None) -> str:
    """A new code for a consent still pending (the first one expired or got lost); the earlier
    code stops working. Returns the plain code, shown once."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if not consent.is_pending or consent.revoked_at is not None:
        raise ReferralError(
            _("This consent is not waiting for the person's confirmation."),
            code="not_pending",
        )
    plain = _new_code(consent)
    consent.save(update_fields=["code_hash", "code_expires_at"])
    return plain


def _consent_for_code(code: str, *, lock: bool) -> Consent:
    qs = Consent.objects.select_related(
        "referral__receiver", "referral__sender_organisation", "recipient"
    )
    if lock:
        qs = qs.select_for_update(of=("self",))
    digest = code_hash(code or "")
    consent = qs.filter(code_hash=digest).first() if digest else None
    if (
        consent is None
        or consent.revoked_at is not None
        or not consent.is_pending
        or consent.referral.status == Status.CLOSED
    ):
        raise ReferralError(_("This code is not valid."), code="code_invalid", field="code")
    if consent.code_expires_at is None or consent.code_expires_at <= timezone.now():
        raise ReferralError(_("This code has expired."), code="code_expired", field="code")
    return consent


def consent_for_code(*, code: str) -> Consent:
    """The pending consent behind a code, for the person to read before confirming; a wrong,
    used, replaced or expired code is refused with a stable code."""
    return _consent_for_code(code, lock=False)


@transaction.atomic
def consent_confirm(*, code: str) -> Consent:
    """The person confirms: from now on the receiver sees the data the consent covers. The code
    is used up (its hash cleared), so it cannot show the data to anybody later."""
    consent = _consent_for_code(code, lock=True)
    consent.confirmed_at = timezone.now()
    consent.code_hash = ""
    consent.save(update_fields=["confirmed_at", "code_hash"])
    return consent


@transaction.atomic
def consent_refuse(*, code: str) -> Consent:
    """The person does not agree: the pending consent is withdrawn before anything was shown
    to the receiver, and the code is used up."""
    consent = _consent_for_code(code, lock=True)
    consent.revoked_at = timezone.now()
    consent.code_hash = ""
    consent.save(update_fields=["revoked_at", "code_hash"])
    return consent
