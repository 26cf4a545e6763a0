"""After the demo seed, the demo learner's pages have something to show."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from people.models import User


@pytest.mark.django_db
def test_demo_learner_sees_a_meaningful_home_page(client, monkeypatch):
    monkeypatch.setattr("people.demo.learners.LEARNERS_PER_PROVIDER", 30)
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent
    user = User.objects.get(username="learner-demo")
    client.force_login(user)
    page = client.get(reverse("learner-home")).context["page"]
    assert page.next_day is not None
    assert len(page.upcoming_reports) == 1
    rows = client.get(reverse("learner-attendance")).context["rows"]
    assert rows and rows[0].figures.ue_held > 0
    documents = client.get(reverse("learner-documents")).context["page"]
    assert documents.registrations
    reads = client.get(reverse("learner-data-access")).context["rows"]
    assert len(reads) == 1
