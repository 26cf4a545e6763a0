"""The billing demo: the InGe outbox of the first provider with reports in every state."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from billing.models import InGeReport

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
