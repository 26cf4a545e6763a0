"""The volunteer world: provider a with two volunteers and a café, provider b with one."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from attendance import tokens
from tests.factories import LearnerFactory, UserFactory
from tests.volunteers.helpers import cafe, volunteer
from volunteers import services


@pytest.fixture
def vw(world):
    a, b = world.a, world.b
    vol = volunteer(a.provider, a.staff, username="vera")
    other = volunteer(a.provider, a.staff, username="otto")
    b_vol = volunteer(b.provider, b.staff, username="bea")
    learner_user = UserFactory(username="lena")
    learner = LearnerFactory(provider=a.provider, user=learner_user, first_name="Lena")
    activity = cafe(a.provider, a.location, a.staff)
    return SimpleNamespace(
        world=world,
        a=a,
        b=b,
        volunteer=vol,
        other=other,
        b_volunteer=b_vol,
        learner=learner,
        activity=activity,
        shift=activity.shifts.order_by("session__date").first(),
    )


BERLIN = ZoneInfo("Europe/Berlin")


class Clock:
    """The check-in clock (tokens and attendance services), set to today 15:45 in Berlin."""

    def __init__(self):
        self.at(15, 45)

    def __call__(self) -> float:
        return self.value

    def at(self, hh: int, mm: int) -> None:
        day = timezone.localdate()
        self.value = dt.datetime.combine(day, dt.time(hh, mm), tzinfo=BERLIN).timestamp()


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(tokens, "clock", c)
    return c


@pytest.fixture
def cafe_today(vw, clock):
    """A café today 16:00–18:00 with the volunteer on its shift."""
    a = vw.a
    activity = cafe(a.provider, a.location, a.staff, first=timezone.localdate(), weeks=0)
    shift = activity.shifts.get()
    services.shift_claim(shift=shift, volunteer=vw.volunteer, by=vw.volunteer.user)
    return SimpleNamespace(activity=activity, shift=shift, session=shift.session)
