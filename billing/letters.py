"""Documents for the learner about the own contribution: the receipt (Quittung) of a payment and
the reminder letter. German first, each label followed by the learner's language (right to left
for Arabic and Farsi), like the certificates (``certificates.rendering.bilingual``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from billing.models import ContributionPayment, ContributionReminder
from billing.selectors.own_contributions import contributions_due
from certificates.rendering import bilingual
from core.pdf import render_pdf

RECEIPT_LABELS = {
    "title": _("Receipt"),
    "subtitle": _("Own contribution to the integration course"),
    "number": _("Receipt number"),
    "received_from": _("Received from"),
    "amount": _("Amount received"),
    "paid_on": _("Paid on"),
    "method": _("Method"),
    "reference": _("Reference"),
    "course": _("Course"),
    "module": _("Module"),
    "due": _("Own contribution for this module"),
    "paid_total": _("Paid in total for this module"),
    "balance": _("Still open after this payment"),
    "legal": _(
        "The own contribution is paid per module before it begins (§ 9 Integration Course Ordinance)."
    ),
    "issued_by": _("Issued by"),
    "signature": _("Signature"),
}

REMINDER_LABELS = {
    "title": _("Reminder: own contribution"),
    "greeting": _("Dear course participant,"),
    "text": _(
        "According to our records, your own contribution for the module below has not been paid in full. Please pay the open amount at the course office or by bank transfer. If you have already paid, or if you receive Bürgergeld, social assistance or asylum seekers' benefits, please bring the evidence to the course office."
    ),
    "course": _("Course"),
    "module": _("Module"),
    "due_on": _("Due since"),
    "open": _("Open amount"),
    "step": _("Reminder"),
    "closing": _("Kind regards, your course office"),
}

METHOD_LABELS = {
    ContributionPayment.Method.CASH: _("Cash"),
    ContributionPayment.Method.TRANSFER: _("Bank transfer"),
    ContributionPayment.Method.OTHER: _("Other"),
}


def receipt_number(payment: ContributionPayment) -> str:
    return f"Q-{payment.paid_on:%Y}-{payment.pk:06d}"


@dataclass(frozen=True)
class ReceiptFigures:
    """The figures printed on a receipt (a receipt shows the state right after its payment)."""

    amount: Decimal
    due: Decimal | None
    paid_total: Decimal
    balance: Decimal | None


def receipt_figures(payment: ContributionPayment) -> ReceiptFigures:
    """Paid up to and including this payment (in the order paid), and what stayed open."""
    paid_total = ContributionPayment.objects.filter(
        claim_id=payment.claim_id, enrolment_id=payment.enrolment_id
    ).filter(
        Q(paid_on__lt=payment.paid_on) | Q(paid_on=payment.paid_on, pk__lte=payment.pk)
    ).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    row = next(
        (r for r in contributions_due([payment.claim]) if r.enrolment_id == payment.enrolment_id),
        None,
    )
    due = row.due if row else None
    balance = max(due - paid_total, Decimal(0)) if due is not None else None
    return ReceiptFigures(amount=payment.amount, due=due, paid_total=paid_total, balance=balance)


def _labels(table: dict[str, Any], language: str | None) -> dict[str, str]:
    return {key: bilingual(text, language) for key, text in table.items()}


def receipt_pdf(payment: ContributionPayment) -> bytes:
    """The receipt of one payment, in German and the learner's language."""
    payment = ContributionPayment.objects.select_related(
        "claim__course__provider",
        "claim__course__course_type",
        "claim__module",
        "enrolment__learner",
    ).get(pk=payment.pk)
    learner = payment.enrolment.learner
    language = learner.preferred_language or "de"
    return render_pdf(
        "billing/pdf/receipt.html",
        {
            "payment": payment,
            "number": receipt_number(payment),
            "figures": receipt_figures(payment),
            "learner": learner,
            "claim": payment.claim,
            "provider": payment.claim.course.provider,
            "labels": _labels(RECEIPT_LABELS, language),
            "method": bilingual(METHOD_LABELS[payment.method], language),
            "language": language,
        },
        language="de",
    )


def reminder_letter_pdf(reminder: ContributionReminder) -> bytes:
    """The reminder as a letter, for learners without an e-mail address."""
    reminder = ContributionReminder.objects.select_related(
        "claim__course__provider", "claim__module", "enrolment__learner"
    ).get(pk=reminder.pk)
    learner = reminder.enrolment.learner
    language = reminder.language or learner.preferred_language or "de"
    return render_pdf(
        "billing/pdf/reminder.html",
        {
            "reminder": reminder,
            "learner": learner,
            "claim": reminder.claim,
            "provider": reminder.claim.course.provider,
            "labels": _labels(REMINDER_LABELS, language),
            "language": language,
        },
        language="de",
    )
