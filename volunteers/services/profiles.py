"""Sign-up, review and the life of a volunteer profile.

A person signs up once for one or several providers (a profile each, status *applied*); staff
of the provider accept (the profile becomes *active* and the person gets the ``volunteer`` role
there) or decline. Ending a profile takes the role away, gives back claimed future shifts and
ends running tandems.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from people.models import Location, Membership, Organisation, Role, User
from people.services import membership_grant, membership_revoke
from volunteers.languages import Language, LanguageLevel
from volunteers.models import (
    Availability,
    ShiftAssignment,
    Skill,
    Tandem,
    Volunteer,
    VolunteerLanguage,
    VolunteerRole,
)
from volunteers.services.base import VolunteerError, mail_after_commit, now, today


@dataclass(frozen=True)
class LanguageEntry:
    language: str
    level: str


@dataclass(frozen=True)
class Window:
    weekday: int
    start_time: time
    end_time: time


@dataclass(frozen=True)
class Profile:
    """What a volunteer tells about themselves (the sign-up form and the profile page)."""

    roles: Sequence[str]
    languages: Sequence[LanguageEntry]
    availability: Sequence[Window]
    skills: Sequence[str] = ()
    skills_note: str = ""
    phone: str = ""
    postcode: str = ""
    town: str = ""
    date_of_birth: date | None = None
    motivation: str = ""
    location_ids: Sequence[int] = ()


def _check_profile(profile: Profile) -> None:
    if not profile.roles:
        raise VolunteerError(
            _("Choose at least one thing you would like to do."),
            code="roles_required",
            field="roles",
        )
    unknown = [r for r in profile.roles if r not in VolunteerRole.values]
    if unknown:
        raise VolunteerError(_("Unknown role."), code="unknown_role", field="roles")
    if [s for s in profile.skills if s not in Skill.values]:
        raise VolunteerError(_("Unknown skill."), code="unknown_skill", field="skills")
    seen = set()
    for entry in profile.languages:
        if entry.language not in Language.values or entry.level not in LanguageLevel.values:
            raise VolunteerError(
                _("Choose a language and a level."), code="language_invalid", field="languages"
            )
        if entry.language in seen:
            raise VolunteerError(
                _("Each language only once, please."), code="language_twice", field="languages"
            )
        seen.add(entry.language)
    for window in profile.availability:
        if window.weekday not in range(7) or window.end_time <= window.start_time:
            raise VolunteerError(
                _("A time window must end after it starts."),
                code="window_invalid",
                field="availability",
            )


def _write_profile(volunteer: Volunteer, profile: Profile) -> None:
    volunteer.roles = list(dict.fromkeys(profile.roles))
    volunteer.skills = list(dict.fromkeys(profile.skills))
    for name in ("skills_note", "phone", "postcode", "town", "date_of_birth", "motivation"):
        setattr(volunteer, name, getattr(profile, name))
    volunteer.save()
    volunteer.languages.all().delete()
    VolunteerLanguage.objects.bulk_create(
        VolunteerLanguage(volunteer=volunteer, language=e.language, level=e.level)
        for e in profile.languages
    )
    volunteer.availability.all().delete()
    Availability.objects.bulk_create(
        Availability(
            volunteer=volunteer, weekday=w.weekday, start_time=w.start_time, end_time=w.end_time
        )
        for w in profile.availability
    )
    locations = Location.objects.filter(
        pk__in=list(profile.location_ids), organisation_id=volunteer.provider_id
    )
    volunteer.reachable_locations.set(locations)


def _account(*, first_name: str, last_name: str, email: str, password: str, language: str) -> User:
    email = (email or "").strip().lower()
    if not first_name.strip() or not last_name.strip():
        raise VolunteerError(_("Please give your name."), code="name_required", field="first_name")
    if not email:
        raise VolunteerError(
            _("Please give your e-mail address."), code="email_required", field="email"
        )
    if (
        User.objects.filter(username__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    ):
        raise VolunteerError(
            _("There is already an account with this e-mail address. Please log in first."),
            code="account_exists",
            field="email",
        )
    user = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        preferred_language=language,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise VolunteerError(
            " ".join(exc.messages), code="weak_password", field="password"
        ) from exc
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def volunteer_signup(
    *,
    providers: Iterable[Organisation],
    profile: Profile,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    password: str = "",
    language: str = "de",
) -> list[Volunteer]:
    """Apply to volunteer with one or several providers (one profile each, status *applied*).

    Without an account (``user`` None) one is made from name, e-mail and password, so the
    person can follow their application; a logged-in person (often a learner) applies as
    themselves. A profile that is applied, active or paused stays as it is; an ended or
    declined one is opened again. Staff of each provider are told after commit.
    """
    providers = [p for p in providers if p.kind == Organisation.Kind.PROVIDER]
    if not providers:
        raise VolunteerError(
            _("Choose where you would like to volunteer."),
            code="provider_required",
            field="providers",
        )
    _check_profile(profile)
    if user is None:
        user = _account(
            first_name=first_name,
            last_name=last_name,
            email=email,
            password=password,
            language=language,
        )
    profiles = []
    for provider in providers:
        volunteer = (
            Volunteer.objects.select_for_update().filter(user=user, provider=provider).first()
        )
        if volunteer is not None and volunteer.status in (
            Volunteer.Status.APPLIED,
            Volunteer.Status.ACTIVE,
            Volunteer.Status.PAUSED,
        ):
            profiles.append(volunteer)
            continue
        volunteer = volunteer or Volunteer(user=user, provider=provider)
        volunteer.status = Volunteer.Status.APPLIED
        volunteer.decided_at = volunteer.decided_by = volunteer.ended_on = None
        _write_profile(volunteer, profile)
        profiles.append(volunteer)
        mail_after_commit(
            kind="staff_new_application",
            user_ids=coordinator_ids(provider.pk),
            context={"volunteer_id": volunteer.pk},
        )
    return profiles


@transaction.atomic
def volunteer_profile_save(*, volunteer: Volunteer, profile: Profile) -> Volunteer:
    """Change what a volunteer tells about themselves (the volunteer or staff)."""
    _check_profile(profile)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    _write_profile(volunteer, profile)
    return volunteer


def _locked(volunteer: Volunteer) -> Volunteer:
    return (
        Volunteer.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=volunteer.pk)
    )


@transaction.atomic
def volunteer_accept(
    *, volunteer: Volunteer, by: User, start_date: date | None = None
) -> Volunteer:
    """Staff accept an application (or take back a paused volunteer): the profile is active and
    the person holds the ``volunteer`` role at the provider."""
    volunteer = _locked(volunteer)
    if volunteer.status not in (Volunteer.Status.APPLIED, Volunteer.Status.PAUSED):
        raise VolunteerError(
            _("Only an application or a paused volunteer can be accepted."),
            code="not_acceptable",
            field="status",
        )
    was_applied = volunteer.status == Volunteer.Status.APPLIED
    volunteer.status = Volunteer.Status.ACTIVE
    volunteer.start_date = volunteer.start_date or start_date or today()
    volunteer.decided_at, volunteer.decided_by = now(), by
    volunteer.save()
    membership_grant(user=volunteer.user, organisation=volunteer.provider, role=Role.VOLUNTEER)
    if was_applied:
        mail_after_commit(
            kind="accepted", user_ids=[volunteer.user_id], context={"volunteer_id": volunteer.pk}
        )
    return volunteer


@transaction.atomic
def volunteer_decline(*, volunteer: Volunteer, by: User, note: str = "") -> Volunteer:
    volunteer = _locked(volunteer)
    if volunteer.status != Volunteer.Status.APPLIED:
        raise VolunteerError(
            _("Only an application can be declined."), code="not_applied", field="status"
        )
    volunteer.status = Volunteer.Status.DECLINED
    volunteer.decided_at, volunteer.decided_by = now(), by
    volunteer.ended_on = today()  # the retention period of the application runs from here
    if note:
        volunteer.note = f"{volunteer.note}\n{note}".strip()
    volunteer.save()
    return volunteer


def _revoke_role(volunteer: Volunteer) -> None:
    membership = Membership.objects.filter(
        user=volunteer.user, organisation=volunteer.provider, role=Role.VOLUNTEER
    ).first()
    if membership is not None:
        membership_revoke(membership=membership)


def _release_future_shifts(volunteer: Volunteer) -> int:
    return ShiftAssignment.objects.filter(
        volunteer=volunteer,
        status=ShiftAssignment.Status.CLAIMED,
        shift__session__date__gt=today(),
    ).update(status=ShiftAssignment.Status.CANCELLED, cancelled_at=now())


@transaction.atomic
def volunteer_pause(*, volunteer: Volunteer, by: User) -> Volunteer:
    """A break: no shifts and no new tandems; running tandems go on."""
    volunteer = _locked(volunteer)
    if volunteer.status != Volunteer.Status.ACTIVE:
        raise VolunteerError(_("Only an active volunteer can pause."), code="not_active")
    volunteer.status = Volunteer.Status.PAUSED
    volunteer.save(update_fields=["status", "updated_at"])
    _release_future_shifts(volunteer)
    return volunteer


@transaction.atomic
def volunteer_end(*, volunteer: Volunteer, by: User, on: date | None = None) -> Volunteer:
    """The volunteer stops: the role goes, future shifts are given back, tandems end."""
    from volunteers.services.tandems import tandem_end

    volunteer = _locked(volunteer)
    if volunteer.status not in (Volunteer.Status.ACTIVE, Volunteer.Status.PAUSED):
        raise VolunteerError(_("This volunteer is not active."), code="not_active")
    volunteer.status = Volunteer.Status.ENDED
    volunteer.ended_on = on or today()
    volunteer.save(update_fields=["status", "ended_on", "updated_at"])
    _revoke_role(volunteer)
    _release_future_shifts(volunteer)
    for tandem in Tandem.objects.filter(
        volunteer=volunteer, status__in=[Tandem.Status.PROPOSED, Tandem.Status.ACTIVE]
    ):
        tandem_end(tandem=tandem, reason=Tandem.EndReason.VOLUNTEER, by=by)
    return volunteer


def coordinator_ids(provider_id: int) -> list[int]:
    """Who hears about the provider's volunteer work: its volunteer coordinators, else its staff."""
    from volunteers.models import VolunteerPolicy

    policy = VolunteerPolicy.objects.filter(provider_id=provider_id).first()
    ids = list(policy.coordinators.values_list("pk", flat=True)) if policy else []
    if ids:
        return ids
    return list(
        Membership.objects.filter(organisation_id=provider_id, role=Role.STAFF)
        .values_list("user_id", flat=True)
        .order_by("user_id")
    )


__all__ = [
    "LanguageEntry",
    "Profile",
    "Window",
    "coordinator_ids",
    "volunteer_accept",
    "volunteer_decline",
    "volunteer_end",
    "volunteer_pause",
    "volunteer_profile_save",
    "volunteer_signup",
]
