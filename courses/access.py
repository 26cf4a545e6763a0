"""The one door to a course: every page and endpoint that acts on a course goes through here.

An outsider (another provider's staff, a teacher not assigned) gets 404, so a foreign course
cannot be told from a missing one.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from courses.models import Course
from people.models import Role, User


def courses_for_staff(*, user: User) -> QuerySet[Course]:
    """Courses of the providers where the user holds the staff role (any status)."""
    return Course.objects.of_providers(user.provider_ids(role=Role.STAFF)).select_related(
        "provider", "location", "course_type", "first_module"
    )


def course_for_staff(*, user: User, pk: int) -> Course:
    """The course if the user is staff of its provider; 404 otherwise."""
    return get_object_or_404(courses_for_staff(user=user), pk=pk)


def courses_for_teacher(*, user: User) -> QuerySet[Course]:
    """Courses the user teaches, plus every course of providers where they are staff."""
    if not user.is_authenticated or not user.is_active:
        return Course.objects.none()
    taught = Course.teachers.through.objects.filter(user_id=user.pk).values("course_id")
    return Course.objects.filter(
        Q(pk__in=taught) | Q(provider_id__in=user.provider_ids(role=Role.STAFF))
    ).select_related("provider", "location", "course_type", "first_module")


def course_for_teacher(*, user: User, pk: int) -> Course:
    """The course if the user is one of its teachers or staff of its provider; 404 otherwise."""
    return get_object_or_404(courses_for_teacher(user=user), pk=pk)
