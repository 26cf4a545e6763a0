"""The doors to internships: employers, placements and wishes of the user's providers.

Outsiders (another provider's staff, a teacher, a learner) get 404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from core.retention import unrestricted
from internships.models import Employer, InternshipWish, Placement
from people.access import staff_provider_ids
from people.models import User


def employers_for_staff(*, user: User) -> QuerySet[Employer]:
    return Employer.objects.filter(provider_id__in=staff_provider_ids(user))


def employer_for_staff(*, user: User, pk: int) -> Employer:
    """The employer if the user is staff of its provider; 404 otherwise."""
    return get_object_or_404(employers_for_staff(user=user), pk=pk)


def placements_for_staff(*, user: User) -> QuerySet[Placement]:
    """Placements at employers of the providers where the user is staff."""
    return unrestricted(
        Placement.objects.filter(employer__provider_id__in=staff_provider_ids(user))
    ).select_related("learner", "employer")


def placement_for_staff(*, user: User, pk: int) -> Placement:
    """The placement if the user is staff of its provider; 404 otherwise."""
    return get_object_or_404(placements_for_staff(user=user), pk=pk)


def wishes_for_staff(*, user: User) -> QuerySet[InternshipWish]:
    return unrestricted(
        InternshipWish.objects.filter(learner__provider_id__in=staff_provider_ids(user))
    ).select_related("learner")
