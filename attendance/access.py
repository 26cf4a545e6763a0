"""The doors to attendance objects. Outsiders (a teacher of another course, another provider's
staff) get 404, so a foreign session cannot be told from a missing one."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from attendance.models import AttendanceRecord, LearnerCard
from core.retention import unrestricted
from courses.access import courses_for_teacher
from courses.models import Course, Session
from enrolment.models import Enrolment
from people.models import Role, User


def session_for_teacher(*, user: User, pk: int) -> Session:
    """The session if the user teaches its course or is staff of its provider; 404 otherwise."""
    return get_object_or_404(
        Session.objects.filter(
            course__in=courses_for_teacher(user=user).values("pk")
        ).select_related("course", "course__location", "course__provider", "module", "signoff"),
        pk=pk,
    )


def session_for_staff(*, user: User, pk: int) -> Session:
    return get_object_or_404(
        Session.objects.filter(
            course__provider_id__in=user.provider_ids(role=Role.STAFF)
        ).select_related("course", "course__location", "course__provider", "module", "signoff"),
        pk=pk,
    )


def course_for_register(*, user: User, pk: int) -> Course:
    """A course for its attendance documents: its teachers and its provider's staff."""
    return get_object_or_404(courses_for_teacher(user=user), pk=pk)


def enrolment_in_session(*, session: Session, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.select_related("learner"), pk=pk, course_id=session.course_id
    )


def record_for_staff(*, user: User, pk: int) -> AttendanceRecord:
    return get_object_or_404(
        unrestricted(
            AttendanceRecord.objects.filter(
                session__course__provider_id__in=user.provider_ids(role=Role.STAFF)
            )
        ).select_related("session", "session__course", "enrolment__learner"),
        pk=pk,
    )


def card_for_staff(*, user: User, pk: int) -> LearnerCard:
    return get_object_or_404(
        LearnerCard.objects.filter(
            learner__provider_id__in=user.provider_ids(role=Role.STAFF)
        ).select_related("learner"),
        pk=pk,
    )
