"""Enrolling a learner in a course at the same hours as another of their courses warns staff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enrolment.selectors import timetable_overlaps
from tests.factories import EnrolmentFactory, LearnerFactory, make_course

pytestmark = pytest.mark.django_db

AFTERNOON = [{"weekday": d, "start_time": "13:30", "end_time": "16:45", "ue": 4} for d in range(5)]


def test_the_same_hours_warn_and_other_hours_do_not(world, client):
    a = world.a
    morning = make_course(provider=a.provider, location=a.location, status="open")
    learner = LearnerFactory(provider=a.provider)
    EnrolmentFactory(course=a.course, learner=learner)  # world course: mornings, Mon–Fri
    (overlap,) = timetable_overlaps(learner=learner, course=morning)
    assert overlap.course == a.course and len(overlap.slots) == 5
    afternoon = make_course(
        provider=a.provider, location=a.location, status="open", slots=AFTERNOON
    )
    assert timetable_overlaps(learner=learner, course=afternoon) == []

    client.force_login(a.staff)
    response = client.post(
        reverse("enrolment-staff-enrol", args=[morning.pk]), {"learner": learner.pk}, follow=True
    )
    assert response.status_code == 200
    warnings = [m.message for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert str(a.course) in warnings[0]


def test_a_withdrawn_enrolment_does_not_warn(world):
    a = world.a
    morning = make_course(provider=a.provider, location=a.location, status="open")
    learner = LearnerFactory(provider=a.provider)
    EnrolmentFactory(
        course=a.course, learner=learner, status="withdrawn", withdrawal_reason="moving"
    )
    assert timetable_overlaps(learner=learner, course=morning) == []
