"""The one door to report figures: which providers and courses a user's figures may cover.

- staff see their provider's figures (one provider at a time; a switcher when they have several);
- teachers see the figures of the courses they teach, nothing else;
- network viewers see aggregate figures of every provider in their organisation's network,
  never personal data (the scope says ``aggregate_only``);
- anybody else gets 403, and a provider outside the user's reach 404 (no existence leak).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

from courses.models import Course
from people.models import Organisation, Role, User


@dataclass(frozen=True)
class Scope:
    """What a report or dashboard may cover.

    ``course_ids`` is None for "every course of the providers"; a teacher's scope lists their
    courses. ``aggregate_only`` forbids names and any row about a single learner.
    """

    kind: str  # "staff" | "teacher" | "network"
    provider_ids: tuple[int, ...]
    course_ids: tuple[int, ...] | None = None
    aggregate_only: bool = False
    providers: tuple[Organisation, ...] = field(default=(), compare=False)
    choices: tuple[Organisation, ...] = field(default=(), compare=False)
    selected: int | None = None

    @property
    def is_staff(self) -> bool:
        return self.kind == "staff"

    def courses(self):
        qs = Course.objects.language_courses().filter(provider_id__in=self.provider_ids)
        if self.course_ids is not None:
            qs = qs.filter(pk__in=self.course_ids)
        return qs


def _network_provider_ids(user: User) -> list[int]:
    org_ids = user.organisation_ids(role=Role.NETWORK_VIEWER)
    if not org_ids:
        return []
    return list(
        Organisation.objects.filter(
            kind=Organisation.Kind.PROVIDER,
            network__organisations__in=org_ids,
            network__isnull=False,
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def _parse_provider(raw) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def _orgs(ids) -> tuple[Organisation, ...]:
    return tuple(Organisation.objects.filter(pk__in=ids).order_by("name"))


def staff_scope(*, user: User, provider=None) -> Scope:
    """Dashboard/summary scope for provider staff: one provider (switcher when several).

    403 when the user is not staff anywhere, 404 for a provider they are not staff of.
    """
    staff_ids = user.provider_ids(role=Role.STAFF)
    if not staff_ids:
        raise PermissionDenied
    wanted = _parse_provider(provider)
    if wanted is not None and wanted not in staff_ids:
        raise Http404
    choices = _orgs(staff_ids)
    selected = wanted if wanted is not None else choices[0].pk
    return Scope(
        kind="staff",
        provider_ids=(selected,),
        providers=tuple(o for o in choices if o.pk == selected),
        choices=choices,
        selected=selected,
    )


def network_scope(*, user: User) -> Scope:
    """Aggregate scope over the providers of the user's network (network viewers only)."""
    ids = _network_provider_ids(user)
    if not ids:
        raise PermissionDenied
    providers = _orgs(ids)
    return Scope(
        kind="network",
        provider_ids=tuple(o.pk for o in providers),
        aggregate_only=True,
        providers=providers,
    )


def report_scope(*, user: User, provider=None) -> Scope:
    """The scope of the report pages for this user (see the module docstring)."""
    wanted = _parse_provider(provider)
    staff_ids = user.provider_ids(role=Role.STAFF)
    if staff_ids and (wanted is None or wanted in staff_ids):
        return staff_scope(user=user, provider=wanted)
    taught = (
        list(Course.objects.filter(teachers=user).values_list("pk", "provider_id").order_by("pk"))
        if user.is_authenticated
        else []
    )
    teacher_providers = sorted({p for _, p in taught})
    if taught and (wanted is None or wanted in teacher_providers):
        providers = [wanted] if wanted is not None else teacher_providers
        course_ids = tuple(c for c, p in taught if p in providers)
        choices = _orgs(teacher_providers)
        return Scope(
            kind="teacher",
            provider_ids=tuple(providers),
            course_ids=course_ids,
            providers=tuple(o for o in choices if o.pk in providers),
            choices=choices if len(choices) > 1 else (),
            selected=wanted,
        )
    network_ids = _network_provider_ids(user)
    if network_ids and (wanted is None or wanted in network_ids):
        choices = _orgs(network_ids)
        providers = [wanted] if wanted is not None else network_ids
        return Scope(
            kind="network",
            provider_ids=tuple(sorted(providers)),
            aggregate_only=True,
            providers=tuple(o for o in choices if o.pk in providers),
            choices=choices,
            selected=wanted,
        )
    if wanted is not None and (staff_ids or taught or network_ids):
        raise Http404
    raise PermissionDenied
