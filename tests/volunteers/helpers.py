"""Volunteer test data: profiles through the services, requirements, a café with shifts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from people.models import Role
from tests.factories import UserFactory
from volunteers import services
from volunteers.models import ConductCheck, Volunteer
from volunteers.services import LanguageEntry, Profile, Window


def today() -> dt.date:
    return timezone.localdate()


def profile(**kw) -> Profile:
    values = {
        "roles": ["cafe", "tandem"],
        "languages": [LanguageEntry("de", "native"), LanguageEntry("ar", "B2")],
        "availability": [Window(1, dt.time(16), dt.time(19))],
        "postcode": "25421",
        "town": "Pinneberg",
    }
    values.update(kw)
    return Profile(**values)


def volunteer(provider, staff, *, username=None, requirements=True, **kw) -> Volunteer:
    """An accepted volunteer of ``provider``; with ``requirements`` every requirement of the
    café and tandem roles is met today."""
    user = UserFactory(**({"username": username} if username else {}), first_name="Vera")
    v = services.volunteer_signup(providers=[provider], user=user, profile=profile(**kw))[0]
    services.volunteer_accept(volunteer=v, by=staff, start_date=today() - dt.timedelta(days=90))
    v.refresh_from_db()
    user.refresh_from_db()
    user.__dict__.pop("_role_memberships", None)
    assert Role.VOLUNTEER in user.roles()
    if requirements:
        meet_requirements(v, staff)
    return v


def meet_requirements(v: Volunteer, staff, *, conduct_on: dt.date | None = None) -> None:
    day = today() - dt.timedelta(days=30)
    services.requirement_record(
        volunteer=v, code="data_protection_pledge", fulfilled_on=day, by=staff
    )
    services.requirement_record(volunteer=v, code="basic_training", fulfilled_on=day, by=staff)
    services.conduct_check_record(
        volunteer=v,
        inspected_on=conduct_on or day,
        result=ConductCheck.Result.CLEAR,
        by=staff,
    )


def cafe(provider, location, staff, *, first: dt.date | None = None, weeks: int = 3, **kw):
    first = first or today() + dt.timedelta(days=7)
    values = {
        "provider": provider,
        "location": location,
        "kind": "cafe",
        "role": "cafe",
        "title": "Sprachcafé Test",
        "first_date": first,
        "start_time": dt.time(16),
        "end_time": dt.time(18),
        "weekly_until": first + dt.timedelta(weeks=weeks) if weeks else None,
        "volunteers_needed": 2,
        "by": staff,
    }
    values.update(kw)
    return services.activity_create(**values)
