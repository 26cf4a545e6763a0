"""The door to directory entries: a provider's staff edit their own locations' entries. Other
providers' staff get 404 (existence is not leaked); users with no staff role anywhere (teachers,
learners, caseworkers, volunteers, counsellors) get 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from people.models import Location, Role, User


def editable_locations(*, user: User) -> QuerySet[Location]:
    ids = user.provider_ids(role=Role.STAFF)
    if not ids:
        raise PermissionDenied
    return Location.objects.filter(organisation_id__in=ids).select_related("organisation")


def location_for_staff(*, user: User, pk: int) -> Location:
    return get_object_or_404(editable_locations(user=user), pk=pk)
