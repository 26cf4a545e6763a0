"""Attendance fixtures: a course with a session on a fixed past Monday, enrolled learners with
logins, and a clock that moves the tokens and the services together."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from attendance import tokens
from tests.factories import EnrolmentFactory, LearnerFactory, UserFactory, make_course

BERLIN = ZoneInfo("Europe/Berlin")
DAY = dt.date(2026, 11, 16)  # a Monday before "today", so the day can be signed


class Clock:
    def __init__(self):
        self.value = dt.datetime.combine(DAY, dt.time(8, 35), tzinfo=BERLIN).timestamp()

    def __call__(self) -> float:
        return self.value

    def set(self, when: dt.datetime) -> None:
        self.value = when.timestamp()

    def at(self, hh: int, mm: int, day: dt.date = DAY) -> None:
        self.set(dt.datetime.combine(day, dt.time(hh, mm), tzinfo=BERLIN))

    def advance(self, seconds: float) -> None:
        self.value += seconds


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(tokens, "clock", c)
    return c


def learner_with_login(provider, **kw):
    user = UserFactory(preferred_language=kw.pop("user_language", "de"))
    return LearnerFactory(provider=provider, user=user, **kw)


@pytest.fixture
def att(world, clock):
    """World provider a's course on DAY with three enrolled learners who can log in."""
    a = world.a
    course = make_course(
        provider=a.provider,
        location=a.location,
        teachers=[a.teacher],
        start=DAY,
        status="running",
        type_code="job_bsk",
    )
    session = course.sessions.get(date=DAY)
    learners = [learner_with_login(a.provider) for _ in range(3)]
    enrolments = [EnrolmentFactory(learner=learner, course=course) for learner in learners]
    outsider_learner = learner_with_login(a.provider)
    return SimpleNamespace(
        world=world,
        course=course,
        session=session,
        next_session=course.sessions.filter(date__gt=DAY).order_by("date").first(),
        learners=learners,
        enrolments=enrolments,
        outsider_learner=outsider_learner,
        teacher=a.teacher,
        other_teacher=a.other_teacher,
        staff=a.staff,
        other_staff=world.b.staff,
        other_provider_teacher=world.b.teacher,
    )
