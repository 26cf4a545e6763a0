"""Writes about people. Other apps record learner events through ``learner_event_record``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from people.models import (
    Learner,
    LearnerEvent,
    Location,
    Membership,
    OpeningHours,
    Organisation,
    Role,
    User,
)
from people.signals import learner_event_recorded


def learner_event_record(
    *, learner: Learner, type: str, data: dict[str, Any] | None = None
) -> LearnerEvent:
    """Append an event to the learner's outbox, inside the caller's transaction.

    The Jobcenter feed and reports read this table; writing it in the same transaction as the
    change means an event exists exactly when the change does.
    """
    event = LearnerEvent.objects.create(learner=learner, type=type, data=data or {})
    learner_event_recorded.send(sender=LearnerEvent, event=event)
    return event


@transaction.atomic
def learner_confirm_identity(*, learner: Learner, by: User) -> Learner:
    """Staff confirm the person against their records (ID, BAMF letter) before an enrolment counts."""
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    if learner.identity_confirmed_at is None:
        learner.identity_confirmed_at = timezone.now()
        learner.identity_confirmed_by = by
        learner.save(update_fields=["identity_confirmed_at", "identity_confirmed_by", "updated_at"])
    return learner


class MembershipError(DomainError):
    pass


# Which roles an organisation of each kind can hand out.
ROLES_BY_KIND: dict[str, frozenset[str]] = {
    Organisation.Kind.PROVIDER: frozenset(
        {
            Role.STAFF,
            Role.TEACHER,
            Role.NETWORK_VIEWER,
            Role.DATA_PROTECTION_OFFICER,
            Role.VOLUNTEER,
            Role.COUNSELLOR,
            Role.NETWORK_COORDINATOR,
        }
    ),
    # A Jobcenter's network coordination may see the network's aggregate figures too.
    Organisation.Kind.JOBCENTER: frozenset(
        {Role.CASEWORKER, Role.NETWORK_VIEWER, Role.JOBCENTER_ADMIN, Role.NETWORK_COORDINATOR}
    ),
}


@transaction.atomic
def membership_grant(*, user: User, organisation: Organisation, role: str) -> Membership:
    """Give ``user`` the ``role`` in ``organisation`` (idempotent).

    Staff and teachers belong to providers, caseworkers to Jobcenters. The staff role also opens
    the Django admin (``is_staff``), where the user sees only their providers' rows; teachers and
    caseworkers work in the app's own pages and never get the admin.
    """
    if role not in ROLES_BY_KIND.get(organisation.kind, frozenset()):
        raise MembershipError(
            _("The role %(role)s does not exist in an organisation of this kind.")
            % {"role": Role(role).label if role in Role.values else role},
            code="role_not_allowed",
            field="role",
        )
    user.__dict__.pop("_role_memberships", None)
    user = User.objects.select_for_update().get(pk=user.pk)
    membership, _created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if role == Role.STAFF and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> None:
    """Take a role away; without any staff role left the user also loses the admin.

    Superusers keep the admin: their access does not come from a membership.
    """
    membership.user.__dict__.pop("_role_memberships", None)
    user = User.objects.select_for_update().get(pk=membership.user_id)
    membership.delete()
    still_staff = Membership.objects.filter(user=user, role=Role.STAFF).exists()
    if user.is_staff and not still_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])


# -- the network directory ----------------------------------------------------------------------

#: The fields of a location that its directory entry edits (the rest is the provider's admin).
DIRECTORY_FIELDS = (
    "in_directory",
    "phone",
    "step_free",
    "lift",
    "accessible_toilet",
    "childcare",
    "languages",
    "services",
    "course_types",
    "served_postcodes",
    "directory_note",
)


@dataclass(frozen=True, slots=True)
class OpeningPeriod:
    weekday: int
    opens: time
    closes: time
    note: str = ""


@transaction.atomic
def location_directory_update(
    *, location: Location, values: dict[str, Any], hours: list[OpeningPeriod]
) -> Location:
    """Replace a location's directory entry and its opening hours as one change.

    Only ``DIRECTORY_FIELDS`` are written; the model's validators run again (a list that is not
    ISO 639-1 codes or postcode prefixes is refused whichever page or import sent it)."""
    from django.core.exceptions import ValidationError

    location = Location.objects.select_for_update().get(pk=location.pk)
    unknown = set(values) - set(DIRECTORY_FIELDS)
    if unknown:
        raise DomainError(_("These fields are not part of the directory entry."), code="invalid")
    for name, value in values.items():
        setattr(location, name, value)
    # German is spoken everywhere: the list holds the other languages, each once
    location.languages = sorted({c for c in location.languages if c != "de"})
    location.served_postcodes = list(dict.fromkeys(location.served_postcodes))
    try:
        location.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], code="invalid", field=field) from exc
    if any(period.closes <= period.opens for period in hours):
        raise DomainError(
            _("The closing time must be after the opening time."), code="invalid", field="hours"
        )
    location.save()
    location.opening_hours.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(
            location=location,
            weekday=period.weekday,
            opens=period.opens,
            closes=period.closes,
            note=period.note,
        )
        for period in sorted(hours, key=lambda p: (p.weekday, p.opens))
    )
    return location
