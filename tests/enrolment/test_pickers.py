"""Learner pickers tell people apart; course labels are unique (issue 14)."""

import datetime as dt

from django.urls import reverse

from enrolment.forms import LearnerChoiceForm
from people.models import Learner
from tests.factories import JobcenterLinkFactory, LearnerFactory, make_course


def test_learner_picker_shows_birth_date_numbers_and_is_searchable(world, client):
    for day in (1, 2, 3):
        LearnerFactory(
            provider=world.a.provider,
            first_name="Layla",
            last_name="Darwish",
            date_of_birth=dt.date(1990, 1, day),
            bamf_number=f"K{day}" if day == 2 else "",
        )
    form = LearnerChoiceForm(learners=Learner.objects.filter(last_name="Darwish"))
    labels = [label for value, label in form.fields["learner"].choices if value]
    assert len(set(labels)) == 3
    assert "Darwish, Layla · * 02.01.1990 · BAMF K2" in labels
    client.force_login(world.a.staff)
    html = client.get(reverse("enrolment-staff-course", args=[world.a.course.pk])).content.decode()
    assert "data-search" in html and "picker-search.js" in html
    assert "* 01.01.1990" in html


def test_learner_picker_shows_the_jobcenter_customer_number(world):
    learner = world.a.learners[0]
    JobcenterLinkFactory(learner=learner, jobcenter=world.jobcenter, customer_number="123D456789")
    form = LearnerChoiceForm(learners=Learner.objects.filter(pk=learner.pk))
    [(_, label)] = [c for c in form.fields["learner"].choices if c[0]]
    assert "123D456789" in label


def test_course_labels_are_unique(world):
    a = make_course(provider=world.a.provider, location=world.a.location, title="Integrationskurs")
    b = make_course(
        provider=world.a.provider,
        location=world.a.location,
        title="Integrationskurs",
        start=a.start_date + dt.timedelta(days=7),
    )
    assert str(a) != str(b)
    assert str(a).startswith("Integrationskurs · ") and f"{a.start_date:%d.%m.%Y}" in str(a)
    assert world.a.location.name in str(a)
