"""Course, session and rule-data admin: tenancy, and every write through the course services."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Course, CourseType, Session
from tests.factories import LocationFactory, course_type, make_course, member
from tests.people.helpers import (
    assert_treated_as_missing,
    build_admin_world,
    changelist_pks,
    choice_pks,
    client_for,
    superuser,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_admin_world()


def url(model, name, *args):
    return reverse(f"admin:{model.replace('.', '_')}_{name}", args=args)


def next_monday(weeks=2):
    today = timezone.localdate()
    return today + dt.timedelta(days=7 * weeks - today.weekday())


def course_post(world, side="a", **overrides):
    p = getattr(world, side)
    ctype = course_type(overrides.pop("type_code", "general"))
    data = {
        "provider": p.provider.pk,
        "location": p.location.pk,
        "course_type": ctype.pk,
        "first_module": ctype.modules.order_by("order").first().pk,
        "title": "Integrationskurs Vormittag",
        "bamf_course_number": "IK-2026-77",
        "status": Course.Status.OPEN,
        "is_published": "on",
        "start_date": next_monday().isoformat(),
        "capacity": "",
        "format": Course.Format.IN_PERSON,
        "teachers": [p.teacher.pk],
        "timetable-TOTAL_FORMS": "2",
        "timetable-INITIAL_FORMS": "0",
        "timetable-0-weekday": "0",
        "timetable-0-start_time": "08:30",
        "timetable-0-end_time": "12:45",
        "timetable-0-ue": "5",
        "timetable-1-weekday": "2",
        "timetable-1-start_time": "08:30",
        "timetable-1-end_time": "12:45",
        "timetable-1-ue": "5",
    }
    data.update(overrides)
    return data


def test_staff_list_and_open_only_their_courses(world, django_assert_max_num_queries):
    client = client_for(world.a.staff)
    with django_assert_max_num_queries(20):
        response = client.get(url("courses.course", "changelist"))
    pks = changelist_pks(response)
    assert world.a.course.pk in pks and world.b.course.pk not in pks
    assert world.b.location.name not in response.text  # not even in the filters
    assert_treated_as_missing(
        client.get(url("courses.course", "change", world.b.course.pk)), world.b.course
    )


def test_superuser_sees_all_courses(world):
    pks = changelist_pks(client_for(superuser()).get(url("courses.course", "changelist")))
    assert {world.a.course.pk, world.b.course.pk} <= pks


def test_course_form_offers_only_own_locations_and_teachers(world):
    response = client_for(world.a.staff).get(url("courses.course", "add"))
    assert choice_pks(response, "location") == {world.a.location.pk}
    assert choice_pks(response, "provider") == {world.a.provider.pk}
    assert choice_pks(response, "teachers") == {world.a.teacher.pk, world.a.other_teacher.pk}


def test_adding_a_course_plans_its_sessions_through_the_service(world):
    client = client_for(world.a.staff)
    response = client.post(url("courses.course", "add"), course_post(world))
    assert response.status_code == 302, response.context["adminform"].form.errors
    course = Course.objects.get(bamf_course_number="IK-2026-77")
    assert course.provider == world.a.provider
    assert course.capacity == 25  # the course type's group size
    assert course.sessions.count() > 0
    assert sum(s.ue for s in course.sessions.all()) == course.total_ue
    assert course.end_date == course.sessions.order_by("-date").first().date
    assert list(course.teachers.all()) == [world.a.teacher]


def test_literacy_course_above_its_group_size_is_refused(world):
    client = client_for(world.a.staff)
    response = client.post(
        url("courses.course", "add"),
        course_post(world, type_code="literacy", capacity="20", first_module=""),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "16" in str(errors["capacity"])
    assert not Course.objects.filter(bamf_course_number="IK-2026-77").exists()


def test_course_without_timetable_is_refused_without_writing(world):
    client = client_for(world.a.staff)
    data = course_post(world, **{"timetable-TOTAL_FORMS": "0"})
    response = client.post(url("courses.course", "add"), data)
    assert response.status_code == 200
    assert not Course.objects.filter(bamf_course_number="IK-2026-77").exists()


def test_superuser_cannot_put_a_course_at_another_providers_location(world):
    client = client_for(superuser())
    data = course_post(world, location=world.b.location.pk)
    response = client.post(url("courses.course", "add"), data)
    assert response.status_code == 200
    assert "location" in response.context["adminform"].form.errors
    assert not Course.objects.filter(bamf_course_number="IK-2026-77").exists()


def test_staff_cannot_post_a_foreign_location(world):
    client = client_for(world.a.staff)
    response = client.post(
        url("courses.course", "add"), course_post(world, location=world.b.location.pk)
    )
    assert response.status_code == 200
    assert not Course.objects.filter(bamf_course_number="IK-2026-77").exists()


def test_changing_the_timetable_replans_the_sessions(world):
    course = make_course(provider=world.a.provider, location=world.a.location)
    end_before = course.end_date
    client = client_for(world.a.staff)
    page = client.get(url("courses.course", "change", course.pk))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data["teachers"] = []
    slots = list(course.timetable.all())
    data.update(
        {
            "timetable-TOTAL_FORMS": str(len(slots)),
            "timetable-INITIAL_FORMS": str(len(slots)),
        }
    )
    for i, slot in enumerate(slots):
        data.update(
            {
                f"timetable-{i}-id": slot.pk,
                f"timetable-{i}-course": course.pk,
                f"timetable-{i}-weekday": slot.weekday,
                f"timetable-{i}-start_time": "08:30",
                f"timetable-{i}-end_time": "12:45",
                f"timetable-{i}-ue": slot.ue,
            }
        )
    data["timetable-4-DELETE"] = "on"  # no more Fridays
    response = client.post(url("courses.course", "change", course.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    course.refresh_from_db()
    assert course.timetable.count() == 4
    assert course.ue_per_week == 20
    assert course.end_date > end_before
    assert not course.sessions.filter(date__week_day=6).exists()  # Friday
    assert sum(s.ue for s in course.sessions.all()) == course.total_ue


def test_session_list_is_scoped_and_cancel_asks_for_a_reason(world, django_assert_max_num_queries):
    session = world.a.course.sessions.order_by("date")[3]
    foreign = world.b.course.sessions.order_by("date")[3]
    client = client_for(world.a.staff)
    for _ in range(3):
        make_course(provider=world.a.provider, location=world.a.location)
    with django_assert_max_num_queries(20):
        response = client.get(url("courses.session", "changelist") + "?all=")
    pks = changelist_pks(response)
    assert session.pk in pks and foreign.pk not in pks
    spec = next(
        f
        for f in response.context["cl"].filter_specs
        if getattr(f, "parameter_name", None) == "course"
    )
    offered = {pk for pk, _label in spec.lookup_choices}
    assert world.a.course.pk in offered and world.b.course.pk not in offered
    end_before = world.a.course.end_date

    ask = client.post(
        url("courses.session", "changelist"),
        {"action": "cancel_sessions", "_selected_action": [session.pk, foreign.pk]},
    )
    assert ask.status_code == 200
    assert "reason" in ask.context["form"].fields
    assert [s.pk for s in ask.context["sessions"]] == [session.pk]

    done = client.post(
        url("courses.session", "changelist"),
        {
            "action": "cancel_sessions",
            "apply": "1",
            "reason": "Lehrkraft erkrankt",
            "_selected_action": [session.pk, foreign.pk],
        },
    )
    assert done.status_code == 302
    session.refresh_from_db()
    foreign.refresh_from_db()
    assert (session.status, session.cancel_reason) == (
        Session.Status.CANCELLED,
        "Lehrkraft erkrankt",
    )
    assert foreign.status == Session.Status.PLANNED
    world.a.course.refresh_from_db()
    assert world.a.course.end_date > end_before


def test_cancelling_two_sessions_of_one_course(world):
    first, second = world.a.course.sessions.order_by("date")[2:4]
    client = client_for(world.a.staff)
    client.post(
        url("courses.session", "changelist"),
        {
            "action": "cancel_sessions",
            "apply": "1",
            "reason": "Raum gesperrt",
            "_selected_action": [first.pk, second.pk],
        },
    )
    cancelled = world.a.course.sessions.filter(status=Session.Status.CANCELLED)
    assert {(s.date, s.start_time) for s in cancelled} == {
        (first.date, first.start_time),
        (second.date, second.start_time),
    }
    assert sum(s.ue for s in world.a.course.sessions.held()) == world.a.course.total_ue


def test_foreign_session_is_treated_as_missing(world):
    foreign = world.b.course.sessions.first()
    response = client_for(world.a.staff).get(url("courses.session", "change", foreign.pk))
    assert_treated_as_missing(response, foreign)


def test_course_types_are_read_only_for_staff(world):
    ctype = CourseType.objects.current().get(code="literacy")
    client = client_for(world.a.staff)
    assert client.get(url("courses.coursetype", "changelist")).status_code == 200
    page = client.get(url("courses.coursetype", "change", ctype.pk))
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = client.post(url("courses.coursetype", "change", ctype.pk), {"max_group_size": 30})
    assert response.status_code == 403
    ctype.refresh_from_db()
    assert ctype.max_group_size == 16
    assert client.get(url("courses.coursetype", "add")).status_code == 403


def test_superuser_may_change_rule_data(world):
    ctype = CourseType.objects.current().get(code="literacy")
    page = client_for(superuser()).get(url("courses.coursetype", "change", ctype.pk))
    assert page.context["has_change_permission"]


def test_teacher_of_another_provider_cannot_be_assigned(world):
    client = client_for(world.a.staff)
    stranger = member(world.b.provider, "teacher", username="fremd")
    response = client.post(url("courses.course", "add"), course_post(world, teachers=[stranger.pk]))
    assert response.status_code == 200
    assert not Course.objects.filter(bamf_course_number="IK-2026-77").exists()


def test_location_from_other_provider_of_superuser_choice_is_kept_out(world):
    # A second location of provider a appears for a's staff, not b's.
    extra = LocationFactory(organisation=world.a.provider, name="Außenstelle")
    response = client_for(world.b.staff).get(url("courses.course", "add"))
    assert extra.pk not in choice_pks(response, "location")


def test_an_implausible_plan_is_saved_only_when_confirmed(world):
    client = client_for(world.a.staff)
    data = course_post(world, **{"timetable-TOTAL_FORMS": "1", "timetable-0-ue": "4"})
    response = client.post(url("courses.course", "add"), data)
    assert response.status_code == 200
    assert "4 UE" in response.text and "confirm_plan" in response.text
    assert not Course.objects.filter(bamf_course_number="IK-2026-77").exists()
    response = client.post(url("courses.course", "add"), {**data, "confirm_plan": "on"})
    assert response.status_code == 302
    assert Course.objects.get(bamf_course_number="IK-2026-77").ue_per_week == 4
