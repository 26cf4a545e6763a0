"""The billing demo: the InGe outbox with reports in every state, and a paying learner with one
payment (a receipt) and one overdue reminder."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

import people.demo.learners
from billing.models import ContributionPayment, ContributionReminder, InGeReport

pytestmark = pytest.mark.django_db
Status = InGeReport.Status


def test_the_demo_has_reports_in_every_state():
    apps = ["people", "courses", "enrolment", "billing"]
    call_command("seed_demo", "--apps", *apps, stdout=StringIO())
    states = set(InGeReport.objects.values_list("status", flat=True))
    assert states == {Status.TODO, Status.READY, Status.SENT}
    assert InGeReport.objects.filter(corrects__isnull=False).count() == 1
    before = InGeReport.objects.count()
    call_command("seed_demo", "--apps", *apps, stdout=StringIO())
    assert InGeReport.objects.count() == before


def test_demo_has_a_payment_and_an_overdue_reminder(monkeypatch):
    monkeypatch.setattr(people.demo.learners, "LEARNERS_PER_PROVIDER", 30)
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    payment = ContributionPayment.objects.get()
    reminder = ContributionReminder.objects.get()
    assert reminder.enrolment_id == payment.enrolment_id and reminder.step == 1
    assert reminder.open_amount > 0 and payment.amount > 0
