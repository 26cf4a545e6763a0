"""An implausible course plan is saved only after a confirmation (issue 14)."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from core.errors import DomainError
from courses.models import Course
from courses.services import course_create, course_plan_warnings, course_update
from tests.courses.test_courses_api import new_course
from tests.factories import course_type

ONE_EVENING = [{"weekday": 0, "start_time": dt.time(18), "end_time": dt.time(21), "ue": 4}]


def _create(world, **kw):
    return course_create(
        provider=world.a.provider,
        location=world.a.location,
        course_type=course_type("general"),
        start_date=timezone.localdate() + dt.timedelta(days=20),
        slots=ONE_EVENING,
        **kw,
    )


def test_four_ue_a_week_is_refused_until_confirmed(world):
    before = Course.objects.count()
    with translation.override("en"), pytest.raises(DomainError) as err:
        _create(world, confirm_plan=False)
    assert err.value.code == "implausible_plan"
    assert "4 UE a week" in err.value.message and "months after the start" in err.value.message
    assert Course.objects.count() == before  # nothing saved
    course = _create(world, confirm_plan=True)
    assert (course.end_date - course.start_date).days > 2 * 365
    assert course_plan_warnings(course)


def test_a_usual_plan_needs_no_confirmation(world):
    assert course_plan_warnings(world.a.course) == []


def test_changing_the_timetable_is_checked_too(world):
    course = _create(world, confirm_plan=None)  # data imports do not ask
    good = [
        {"weekday": d, "start_time": dt.time(8, 30), "end_time": dt.time(12, 45), "ue": 5}
        for d in range(5)
    ]
    course_update(course=course, slots=good, confirm_plan=False)
    with pytest.raises(DomainError) as err:
        course_update(course=course, slots=ONE_EVENING, confirm_plan=False)
    assert err.value.code == "implausible_plan"
    course.refresh_from_db()
    assert course.ue_per_week == 25


def test_api_asks_for_confirmation(world, api_client):
    api_client.force_authenticate(world.a.staff)
    data = new_course(
        world, timetable=[{"weekday": 0, "start_time": "18:00", "end_time": "21:00", "ue": 4}]
    )
    r = api_client.post("/api/v1/courses/", data, format="json")
    assert r.status_code == 400 and r.json()["code"] == "implausible_plan", r.json()
    r = api_client.post("/api/v1/courses/", {**data, "confirm_plan": True}, format="json")
    assert r.status_code == 201
