"""The one door to a course: staff of its provider, its teachers; everyone else 404."""

from __future__ import annotations

import pytest
from django.http import Http404

from courses.access import course_for_staff, course_for_teacher, courses_for_staff
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_course_for_staff_opens_own_course_only(world):
    assert course_for_staff(user=world.a.staff, pk=world.a.course.pk) == world.a.course
    with pytest.raises(Http404):
        course_for_staff(user=world.b.staff, pk=world.a.course.pk)
    with pytest.raises(Http404):
        course_for_staff(user=world.a.teacher, pk=world.a.course.pk)


def test_courses_for_staff_lists_own_provider_only(world):
    assert list(courses_for_staff(user=world.a.staff)) == [world.a.course]
    assert list(courses_for_staff(user=world.caseworker)) == []


def test_course_for_teacher_admits_its_teachers_and_provider_staff(world):
    pk = world.a.course.pk
    assert course_for_teacher(user=world.a.teacher, pk=pk) == world.a.course
    assert course_for_teacher(user=world.a.staff, pk=pk) == world.a.course
    for outsider in (world.a.other_teacher, world.b.teacher, world.b.staff, UserFactory()):
        with pytest.raises(Http404):
            course_for_teacher(user=outsider, pk=pk)


def test_course_for_teacher_result_can_be_locked(world):
    """No DISTINCT or joins in the door's query, so callers may select_for_update() on it."""
    from courses.access import courses_for_teacher

    qs = courses_for_teacher(user=world.a.teacher).select_for_update(of=("self",))
    assert list(qs.filter(pk=world.a.course.pk)) == [world.a.course]
