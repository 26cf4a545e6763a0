"""Own contributions: due for the whole module, partial payments and balance, evidence validity,
reminders once per step (e-mail in the learner's language, or a letter), receipts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import override_settings

from billing.letters import receipt_figures, receipt_number, receipt_pdf
from billing.models import ContributionReminder
from billing.selectors.own_contributions import contributions_due, reminder_step
from billing.services import claim_issue, claim_open, reminders_send
from core.errors import DomainError
from tests.billing.conftest import MODULE_END
from tests.billing.money import exempt, pay
from tests.certificates.helpers import pdf_text

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 5)  # the module's first day and every learner's entry
DUE = Decimal("229.00")  # 100 UE × 2.29 €


def dues(claim):
    return {row.enrolment_id: row for row in contributions_due([claim])}


def test_due_is_the_whole_module_from_the_first_day(bill):
    claim = claim_open(course=bill.course, module=bill.module)
    rows = dues(claim)
    assert {r.due for r in rows.values()} == {DUE}
    assert {r.due_on for r in rows.values()} == {START}
    claim_issue(claim=claim, by=bill.a.staff)
    assert {r.due for r in dues(claim).values()} == {DUE}


def test_partial_payments_leave_a_balance_and_no_more_than_open_is_taken(bill):
    claim = claim_open(course=bill.course, module=bill.module)
    e = bill.enrolments[0]
    pay(claim, e, "100.00", START, bill.a.staff)
    pay(claim, e, "29.00", dt.date(2026, 1, 12), bill.a.staff)
    row = dues(claim)[e.pk]
    assert (row.paid, row.open) == (Decimal("129.00"), Decimal("100.00"))
    with pytest.raises(DomainError) as exc:
        pay(claim, e, "100.01", dt.date(2026, 1, 13), bill.a.staff)
    assert exc.value.code == "amount_over_open"
    pay(claim, e, "100.00", dt.date(2026, 1, 13), bill.a.staff)
    assert dues(claim)[e.pk].open == Decimal(0)


def test_an_exempt_learner_pays_nothing_and_no_payment_is_taken(bill):
    exempt(bill.learners[0], valid_from=dt.date(2025, 12, 1), valid_until=dt.date(2026, 6, 30))
    claim = claim_open(course=bill.course, module=bill.module)
    row = dues(claim)[bill.enrolments[0].pk]
    assert row.exempt and row.due == 0
    with pytest.raises(DomainError) as exc:
        pay(claim, bill.enrolments[0], "10.00", START, bill.a.staff)
    assert exc.value.code == "exempt"


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "is_exempt"),
    [
        (dt.date(2025, 6, 1), dt.date(2026, 1, 4), False),  # ended the day before the module
        (dt.date(2026, 1, 12), dt.date(2026, 12, 31), False),  # began after the first day
        (dt.date(2026, 1, 5), dt.date(2026, 1, 5), True),  # covers the first day only
        (dt.date(2025, 6, 1), dt.date(2026, 12, 31), True),
    ],
)
def test_only_evidence_valid_on_the_modules_first_day_exempts(
    bill, valid_from, valid_until, is_exempt
):
    exempt(bill.learners[1], valid_from=valid_from, valid_until=valid_until)
    claim = claim_open(course=bill.course, module=bill.module)
    row = dues(claim)[bill.enrolments[1].pk]
    assert row.exempt is is_exempt
    assert row.due == (Decimal(0) if is_exempt else DUE)


@pytest.mark.parametrize(("days", "step"), [(0, 0), (13, 0), (14, 1), (27, 1), (28, 2), (400, 2)])
def test_reminder_steps(days, step):
    today = START + dt.timedelta(days=days)
    assert reminder_step(due_on=START, today=today, steps=(14, 28)) == step


@override_settings(CONTRIBUTION_REMINDER_DAYS=(14, 28))
def test_each_step_is_sent_exactly_once(bill):
    claim = claim_open(course=bill.course, module=bill.module)
    a, b, _c = bill.learners
    a.email, a.preferred_language = "amira@example.org", "ar"
    a.save()
    b.email, b.preferred_language = "", "fa"
    b.save()
    pay(claim, bill.enrolments[2], "229.00", START, bill.a.staff)  # c paid in full

    assert reminders_send(today=START + dt.timedelta(days=13)) == []
    first = reminders_send(today=START + dt.timedelta(days=14))
    assert sorted((r.reminder.enrolment_id, r.reminder.step) for r in first) == sorted(
        [(bill.enrolments[0].pk, 1), (bill.enrolments[1].pk, 1)]
    )
    assert reminders_send(today=START + dt.timedelta(days=14)) == []
    assert reminders_send(today=START + dt.timedelta(days=20)) == []
    second = reminders_send(today=START + dt.timedelta(days=28))
    assert {r.reminder.step for r in second} == {2} and len(second) == 2
    assert reminders_send(today=START + dt.timedelta(days=60)) == []
    assert ContributionReminder.objects.count() == 4

    # a has an address: two mails, in Arabic with the German text too; b gets letters.
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["amira@example.org"]
    body = mail.outbox[0].body
    assert "— Deutsch —" in body and "Kostenbeitrag" in body  # the German text follows
    assert "مساهمتكم الذاتية" in body  # the Arabic text first
    assert "229,00" in body or "229.00" in body
    letters = ContributionReminder.objects.filter(enrolment=bill.enrolments[1])
    assert {r.channel for r in letters} == {"letter"} and {r.language for r in letters} == {"fa"}
    assert {r.open_amount for r in letters} == {DUE}


@override_settings(CONTRIBUTION_REMINDER_DAYS=(14, 28))
def test_a_late_job_sends_only_the_highest_step_reached(bill):
    claim_open(course=bill.course, module=bill.module)
    sent = reminders_send(today=START + dt.timedelta(days=40))
    assert {r.reminder.step for r in sent} == {2} and len(sent) == 3
    assert reminders_send(today=START + dt.timedelta(days=41)) == []


@override_settings(CONTRIBUTION_REMINDER_DAYS=(14,))
def test_exempt_learners_are_not_reminded(bill):
    for learner in bill.learners:
        exempt(learner, valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2026, 12, 31))
    claim_open(course=bill.course, module=bill.module)
    assert reminders_send(today=MODULE_END) == []


def test_the_receipt_shows_the_payment_and_the_balance(bill):
    claim = claim_open(course=bill.course, module=bill.module)
    e = bill.enrolments[0]
    pay(claim, e, "100.00", START, bill.a.staff)
    second = pay(claim, e, "50.50", dt.date(2026, 1, 10), bill.a.staff, method="transfer")
    pay(claim, e, "20.00", dt.date(2026, 1, 20), bill.a.staff)  # later: not on this receipt
    figures = receipt_figures(second)
    assert figures.amount == Decimal("50.50")
    assert figures.paid_total == Decimal("150.50")  # 100.00 + 50.50, independently
    assert figures.balance == Decimal("78.50")  # 229.00 − 150.50
    text = pdf_text(receipt_pdf(second))
    for expected in (
        "Quittung",
        receipt_number(second),
        "50,50 €",  # German figures: the document's first language
        "150,50 €",
        "78,50 €",
        "229,00 €",
        "10.01.2026",
        "Überweisung",
        bill.learners[0].last_name,
    ):
        assert expected in text, expected
