"""The one door to the InGe outbox: the provider's staff only; everyone else gets 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from billing.models import InGeReport, TeacherAdmission
from core.retention import unrestricted
from people.models import Organisation, Role, User


def reports_for_staff(*, user: User) -> QuerySet[InGeReport]:
    """Reports of the courses of the providers where the user is staff (restricted learners
    left out), with what the list shows."""
    return unrestricted(
        InGeReport.objects.filter(course__provider_id__in=user.provider_ids(role=Role.STAFF))
    ).select_related(
        "course",
        "course__provider",
        "course__location",
        "course__course_type",
        "module",
        "enrolment__learner",
        "sent_by",
        "corrects",
    )


def report_for_staff(*, user: User, pk: int) -> InGeReport:
    return get_object_or_404(reports_for_staff(user=user), pk=pk)


def admissions_for_staff(*, user: User) -> QuerySet[TeacherAdmission]:
    """Teacher admissions of the providers where the user is staff."""
    return TeacherAdmission.objects.filter(
        provider_id__in=user.provider_ids(role=Role.STAFF)
    ).select_related("provider", "teacher")


def admission_for_staff(*, user: User, pk: int) -> TeacherAdmission:
    return get_object_or_404(admissions_for_staff(user=user), pk=pk)


def admission_provider(*, user: User, pk: int | str | None) -> Organisation:
    """A provider where the user is staff (404 for any other)."""
    return get_object_or_404(
        Organisation.objects.filter(pk__in=user.provider_ids(role=Role.STAFF)),
        pk=pk if str(pk or "").isdigit() else 0,
    )
