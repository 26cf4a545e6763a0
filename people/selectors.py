"""Reads about people and the one door to a learner record."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from people.models import Entitlement, Learner, Role, User


def learners_for_staff(*, user: User) -> QuerySet[Learner]:
    """Learners of the providers where the user is staff."""
    return Learner.objects.filter(provider_id__in=user.provider_ids(role=Role.STAFF))


def learner_for_staff(*, user: User, pk: int) -> Learner:
    """The learner if the user is staff at the learner's provider; 404 otherwise."""
    return get_object_or_404(learners_for_staff(user=user).select_related("provider"), pk=pk)


def learner_is_obliged(learner: Learner, *, on: date) -> bool:
    return any(
        e.kind == Entitlement.Kind.OBLIGATION and e.is_valid_on(on)
        for e in learner.entitlements.all()
    )
