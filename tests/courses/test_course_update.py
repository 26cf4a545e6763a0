"""course_update: the rules of changing a course, and the waiting list told when seats free."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.errors import DomainError
from courses.models import Course
from courses.services import course_update
from courses.signals import seats_may_have_freed
from tests.factories import EnrolmentFactory, LearnerFactory, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook():
    """Record the ``seats_may_have_freed`` signals that courses sends."""
    calls = []

    def record(sender, *, course, by=None, **kwargs):
        calls.append((course.pk, by))

    seats_may_have_freed.connect(record, dispatch_uid="test-hook")
    yield calls
    seats_may_have_freed.disconnect(dispatch_uid="test-hook")


def test_raising_capacity_tells_the_waiting_list(world, hook):
    course_update(course=world.a.course, by=world.a.staff, capacity=20)
    assert hook == []  # lowered: no seat freed
    course_update(course=world.a.course, by=world.a.staff, capacity=24)
    assert hook == [(world.a.course.pk, world.a.staff)]


def test_opening_a_course_tells_the_waiting_list(world, hook):
    course = make_course(provider=world.a.provider, status=Course.Status.PLANNED)
    hook.clear()
    course_update(course=course, by=world.a.staff, title="Neu")
    assert hook == []
    course_update(course=course, by=world.a.staff, status=Course.Status.OPEN)
    assert hook == [(course.pk, world.a.staff)]


def test_course_create_tells_the_waiting_list(world, hook):
    course = make_course(provider=world.a.provider)
    assert hook == [(course.pk, None)]


def test_capacity_limits(world):
    EnrolmentFactory.create_batch(5, course=world.a.course)
    with pytest.raises(DomainError) as err:
        course_update(course=world.a.course, capacity=4)
    assert err.value.code == "capacity_below_enrolled"
    with pytest.raises(DomainError) as err:
        course_update(course=world.a.course, capacity=26)
    assert err.value.code == "capacity_too_high"
    assert course_update(course=world.a.course, capacity=5).capacity == 5


def test_capacity_cannot_drop_below_open_offers(world):
    """An open offer holds its seat: 3 enrolled and 2 offered need a capacity of 5."""
    EnrolmentFactory.create_batch(3, course=world.a.course)
    EnrolmentFactory.create_batch(2, course=world.a.course, status="offered")
    with pytest.raises(DomainError) as err:
        course_update(course=world.a.course, capacity=4)
    assert err.value.code == "capacity_below_enrolled"
    assert err.value.field == "capacity"
    assert course_update(course=world.a.course, capacity=5).capacity == 5


def test_the_waiting_list_hears_of_freed_seats_through_the_signal(world):
    """courses does not import enrolment: a raised capacity reaches the waiting list through
    ``seats_may_have_freed``, and the first waiting learner gets an offer."""
    from enrolment.services import enrolment_create

    course = world.a.course
    course_update(course=course, capacity=1)
    enrolment_create(course=course, learner=LearnerFactory(provider=course.provider))
    waiting = enrolment_create(course=course, learner=LearnerFactory(provider=course.provider))
    assert waiting.status == "waitlisted"
    course_update(course=course, capacity=2)
    waiting.refresh_from_db()
    course.refresh_from_db()
    assert waiting.status == "offered"
    assert course.seats_held == 2


def test_start_date_cannot_move_once_started(world):
    started = make_course(
        provider=world.a.provider, start=timezone.localdate() - dt.timedelta(days=7)
    )
    with pytest.raises(DomainError) as err:
        course_update(course=started, start_date=timezone.localdate() + dt.timedelta(days=7))
    assert err.value.code == "already_started"


def test_moving_the_start_replans_sessions(world):
    course = world.a.course
    later = course.start_date + dt.timedelta(days=28)
    course = course_update(course=course, start_date=later)
    first = course.sessions.order_by("date").first()
    assert first.date >= later
    assert sum(course.sessions.values_list("ue", flat=True)) == 700
    assert course.end_date > later


def test_unknown_fields_and_foreign_teachers_are_refused(world):
    with pytest.raises(DomainError) as err:
        course_update(course=world.a.course, provider=world.b.provider)
    assert err.value.code == "not_updatable"
    with pytest.raises(DomainError) as err:
        course_update(course=world.a.course, teachers=[world.b.teacher])
    assert err.value.code == "foreign_teacher"
    course = course_update(course=world.a.course, teachers=[world.a.other_teacher])
    assert list(course.teachers.all()) == [world.a.other_teacher]
