"""Demo data: volunteers (one a former learner), a weekly café with shifts at DiakoMigra, two
tandems (one flagged), the ``volunteer-demo`` login; a second run adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

import courses.demo
import people.demo
from people.demo import PASSWORD
from volunteers.models import (
    Activity,
    HoursEntry,
    ShiftAssignment,
    Tandem,
    Volunteer,
)

MODELS = [Volunteer, Activity, ShiftAssignment, Tandem, HoursEntry]


@pytest.mark.django_db
def test_demo_volunteers_are_seeded_once(monkeypatch, client):
    monkeypatch.setattr("people.demo.learners.LEARNERS_PER_PROVIDER", 30)
    monkeypatch.setattr(
        courses.demo, "PROVIDER_COURSES", {spec.key: (0, 2) for spec in people.demo.PROVIDERS}
    )
    monkeypatch.setattr("enrolment.demo.KEEP_FREE", 5)
    apps = ["people", "courses", "enrolment", "volunteers"]
    call_command("seed_demo", "--apps", *apps, stdout=StringIO())
    first = {m.__name__: m.objects.count() for m in MODELS}
    call_command("seed_demo", "--apps", *apps, stdout=StringIO())
    assert {m.__name__: m.objects.count() for m in MODELS} == first

    diakomigra = Volunteer.objects.get(user__username="volunteer-demo").provider
    assert diakomigra.short_name == "DiakoMigra"
    assert Volunteer.objects.filter(provider=diakomigra, status="active").count() == 3
    assert Volunteer.objects.filter(status="applied").count() == 1
    former = Volunteer.objects.get(user__username="volunteer-former-learner")
    assert former.user.learner.provider == diakomigra
    cafe = Activity.objects.get(course__title="Sprachcafé am Donnerstag")
    assert cafe.course.provider == diakomigra and cafe.shifts.count() >= 10
    assert ShiftAssignment.objects.filter(checked_in_at__isnull=False).exists()
    tandems = Tandem.objects.filter(provider=diakomigra, status="active")
    assert tandems.count() == 2
    assert tandems.filter(stalled_since__isnull=False).count() == 1
    # the demo learner is asked for her consent to a language buddy
    asked = Tandem.objects.get(status="proposed")
    assert asked.learner.user.username == "learner-demo"
    assert client.login(username="volunteer-demo", password=PASSWORD)
    assert client.get("/volunteering/").status_code == 200
