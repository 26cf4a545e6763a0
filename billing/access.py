"""The one door to a claim: the provider's staff only; everyone else gets 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from billing.models import Claim, Finding
from courses.access import courses_for_staff
from courses.models import Course, Programme
from people.models import Role, User


def billing_courses(*, user: User) -> QuerySet[Course]:
    """Language and integration courses of the providers where the user is staff."""
    return (
        courses_for_staff(user=user)
        .filter(course_type__programme__kind=Programme.Kind.COURSES)
        .exclude(status=Course.Status.CANCELLED)
    )


def claims_for_staff(*, user: User) -> QuerySet[Claim]:
    return Claim.objects.filter(
        course__provider_id__in=user.provider_ids(role=Role.STAFF)
    ).select_related("course", "course__location", "course__course_type", "module", "issued_by")


def claim_for_staff(*, user: User, pk: int) -> Claim:
    return get_object_or_404(claims_for_staff(user=user), pk=pk)


def finding_for_staff(*, user: User, claim: Claim, pk: int) -> Finding:
    return get_object_or_404(Finding.objects.filter(claim=claim), pk=pk)
