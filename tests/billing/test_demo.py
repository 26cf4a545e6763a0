"""After the demo seed: a paying learner with one payment (a receipt) and one overdue reminder."""

from io import StringIO

import pytest
from django.core.management import call_command

import people.demo
from billing.models import ContributionPayment, ContributionReminder


@pytest.mark.django_db
def test_demo_has_a_payment_and_an_overdue_reminder(monkeypatch):
    monkeypatch.setattr(people.demo, "LEARNERS_PER_PROVIDER", 30)
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    payment = ContributionPayment.objects.get()
    reminder = ContributionReminder.objects.get()
    assert reminder.enrolment_id == payment.enrolment_id and reminder.step == 1
    assert reminder.open_amount > 0 and payment.amount > 0
