"""Writes of the own contribution: exemption evidence recorded by staff, and the reminders of
an overdue contribution (a daily job)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from billing.models import Claim, ContributionReminder, ExemptionGround, FeeExemption
from billing.selectors.own_contributions import ContributionDue, contributions_due, reminder_step
from core.errors import DomainError
from enrolment.models import Enrolment
from people.models import Learner, User

logger = logging.getLogger(__name__)

#: Claims handled per computation of the reminder job (bounded memory, few queries per batch).
BATCH = 200


@transaction.atomic
def exemption_record(
    *,
    learner: Learner,
    ground: ExemptionGround,
    valid_from: date | None,
    valid_until: date | None,
    evidence: str,
    by: User,
) -> FeeExemption:
    """Record the evidence of an exemption (a Bürgergeld notice …) with the period it covers."""
    if valid_from is None:
        raise DomainError(
            _("Enter the first day the evidence covers."), code="from_required", field="valid_from"
        )
    if valid_until is None:
        raise DomainError(
            _("Enter the last day the evidence covers."), code="until_required", field="valid_until"
        )
    if valid_until < valid_from:
        raise DomainError(
            _("The evidence cannot end before it begins."),
            code="until_before_from",
            field="valid_until",
        )
    evidence = (evidence or "").strip()
    if not evidence:
        raise DomainError(
            _("Say which document you have seen."), code="evidence_required", field="evidence"
        )
    return FeeExemption.objects.create(
        learner=learner,
        ground=ground,
        valid_from=valid_from,
        valid_until=valid_until,
        evidence=evidence[:200],
        recorded_by=by,
    )


@dataclass(frozen=True)
class ReminderSent:
    reminder: ContributionReminder
    mailed: bool


def reminders_send(*, today: date | None = None) -> list[ReminderSent]:
    """Remind every learner whose own contribution is still open ``CONTRIBUTION_REMINDER_DAYS``
    after it fell due: once per step, in the learner's language — by e-mail when the learner has
    an address, otherwise as a letter staff print from the reminders page.

    Only the highest step reached is sent, and never one at or below a step already sent, so a
    job that was down for weeks sends one reminder, not a burst; the unique row per step makes a
    second run (or a second scheduler) send nothing."""
    steps = tuple(settings.CONTRIBUTION_REMINDER_DAYS)
    if not steps:
        return []
    today = today or timezone.localdate()
    claims = list(
        Claim.objects.filter(course__start_date__lte=today - timedelta(days=min(steps)))
        .select_related("course", "course__provider", "module")
        .order_by("pk")
    )
    sent: list[ReminderSent] = []
    for start in range(0, len(claims), BATCH):
        for row in contributions_due(claims[start : start + BATCH]):
            if row.exempt or row.open <= 0:
                continue
            step = reminder_step(due_on=row.due_on, today=today, steps=steps)
            if step == 0 or any(r.step >= step for r in row.reminders):
                continue
            result = reminder_send(row, step)
            if result is not None:
                sent.append(result)
    return sent


def reminder_send(row: ContributionDue, step: int) -> ReminderSent | None:
    """Send reminder ``step`` for one learner's open contribution (None: already sent)."""
    enrolment = Enrolment.objects.select_related("learner").get(pk=row.enrolment_id)
    learner = enrolment.learner
    language = learner.preferred_language or "de"
    channel = (
        ContributionReminder.Channel.EMAIL if learner.email else ContributionReminder.Channel.LETTER
    )
    try:
        with transaction.atomic():
            reminder = ContributionReminder.objects.create(
                claim=row.claim,
                enrolment=enrolment,
                step=step,
                due_on=row.due_on,
                open_amount=row.open,
                channel=channel,
                language=language,
            )
    except IntegrityError:  # another run sent this step in the meantime
        return None
    mailed = False
    if channel == ContributionReminder.Channel.EMAIL:
        context = reminder_context(reminder, learner=learner)
        with translation.override(language):
            subject = render_to_string("billing/mail/reminder_subject.txt", context).strip()
            body = str(render_to_string("billing/mail/reminder.txt", context))
        if language != "de":  # the German text too, for anyone who helps the learner read it
            with translation.override("de"):
                body += "\n\n— Deutsch —\n\n" + render_to_string(
                    "billing/mail/reminder.txt", context
                )
        try:
            send_mail(subject, body, None, [learner.email])
            mailed = True
        except OSError:  # the row stays: staff see it and can print the letter instead
            logger.exception("reminder %s could not be mailed", reminder.pk)
    return ReminderSent(reminder=reminder, mailed=mailed)


def reminder_context(reminder: ContributionReminder, *, learner: Learner) -> dict:
    claim = reminder.claim
    return {
        "reminder": reminder,
        "learner": learner,
        "provider": claim.course.provider,
        "course": claim.course,
        "module": claim.module,
    }
