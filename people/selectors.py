"""Reads about people and the one door to a learner record."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from people.models import Entitlement, Learner, Role, User


def home_url_for(user: User) -> str:
    """Where a person's work is: learners their courses, staff the dashboard, and so on."""
    if hasattr(user, "learner") and user.learner is not None:
        return reverse("my-courses")
    if user.has_role(Role.STAFF):
        return reverse("staff-dashboard")
    if user.has_role(Role.TEACHER):
        return reverse("teacher-home")
    if user.has_role(Role.CASEWORKER):
        return reverse("jobcenter-portal")
    if user.has_role(Role.NETWORK_VIEWER):
        return reverse("network-dashboard")
    if user.is_staff:
        return reverse("admin:index")
    return reverse("catalogue")


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
