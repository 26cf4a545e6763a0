"""The doors to people: a learner record and the providers a user works for.

Outsiders (another provider's staff, a teacher, a learner) get 404, so a foreign learner cannot be
told from a missing one. Every app reaches a learner for staff through here.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from people.models import Learner, Organisation, Role, User


def staff_provider_ids(user: User) -> list[int]:
    """The providers where the user holds the staff role (empty for everyone else)."""
    return user.provider_ids(role=Role.STAFF)


def require_staff(user: User) -> list[int]:
    """The user's staff providers; 404 for a user who is staff nowhere."""
    ids = staff_provider_ids(user)
    if not ids:
        raise Http404
    return ids


def staff_provider(user: User) -> Organisation:
    """The first provider where the user is staff (pages that act for one provider); 404 otherwise."""
    return Organisation.objects.get(pk=require_staff(user)[0])


def learners_for_staff(*, user: User) -> QuerySet[Learner]:
    """Learners of the providers where the user is staff."""
    return Learner.objects.filter(provider_id__in=staff_provider_ids(user))


def learner_for_staff(*, user: User, pk: int) -> Learner:
    """The learner if the user is staff at the learner's provider; 404 otherwise."""
    return get_object_or_404(learners_for_staff(user=user).select_related("provider"), pk=pk)
