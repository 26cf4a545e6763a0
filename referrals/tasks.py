"""Background work of the referrals app (Django tasks; the immediate backend runs them in tests).

``referrals_daily`` flags stalled referrals once a day (registered in ``referrals.apps``)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.links import absolute


@task
def send_stall_mail(*, referral_ids: list[int]) -> int:
    """Tell both sides that a referral has stalled: the sender (user) and the receiving
    provider's office address. No personal data in the mail, only the number and the link."""
    from referrals.models import Referral

    sent = 0
    referrals = Referral.objects.filter(pk__in=referral_ids).select_related("sender", "receiver")
    for referral in referrals:
        targets = []
        if referral.sender and referral.sender.email:
            targets.append((referral.sender.email, referral.sender.preferred_language, "sender"))
        if referral.receiver.email:
            targets.append((referral.receiver.email, "de", "receiver"))
        for address, language, side in targets:
            page = "referrals-inbox-detail" if side == "receiver" else "referrals-detail"
            with translation.override(language or "de"):
                link = absolute(reverse(page, args=[referral.pk]))
                context = {"referral": referral, "side": side, "link": link}
                subject = render_to_string("referrals/mail/stalled_subject.txt", context).strip()
                body = render_to_string("referrals/mail/stalled.txt", context)
            send_mail(subject, body, None, [address])
            sent += 1
    return sent


@task
def referrals_daily() -> int:
    from referrals.services import referrals_flag_stalled

    return len(referrals_flag_stalled())
