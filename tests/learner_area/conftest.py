"""Learner-area fixtures: a running course of provider a with past and coming days, learners
with logins who entered 5 and 50 course days ago, a register filled for those days."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from attendance.models import Code
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from tests.factories import EnrolmentFactory, LearnerFactory, make_course, register_fill

#: A pattern of codes for past days: mostly present, some excused and unexcused days.
PATTERN = ["X", "X", "E", "X", "U", "X", "X", "X", "P", "X"]


def pattern_codes(days: int) -> list[str]:
    """The codes of the first ``days`` course days: ``PATTERN`` repeated."""
    return [PATTERN[i % len(PATTERN)] for i in range(days)]


def learner_with_login(provider, **kw):
    learner = LearnerFactory(provider=provider, **kw)
    enrolment_services.learner_account_create(learner=learner)
    learner.refresh_from_db()
    return learner


def enrol_for_days(learner, course, days: int) -> Enrolment:
    """Enrol ``learner`` so that exactly ``days`` held course days lie before today, and fill the
    register for them with ``PATTERN``."""
    today = timezone.localdate()
    past = list(course.sessions.held().filter(date__lt=today).order_by("-date"))[:days]
    past.reverse()
    enrolment = EnrolmentFactory(
        learner=learner,
        course=course,
        module=past[0].module if past else course.first_module,
        start_date=past[0].date if past else today,
    )
    register_fill(enrolment, past, pattern_codes(len(past)))
    return enrolment


@pytest.fixture
def me(world):
    a = world.a
    today = timezone.localdate()
    course = make_course(
        provider=a.provider,
        location=a.location,
        teachers=[a.teacher],
        start=today - dt.timedelta(days=120),
        status="running",
        room="2.14",
    )
    learner = learner_with_login(a.provider, preferred_language="de", first_name="Amal")
    enrolment = enrol_for_days(learner, course, 5)
    long_learner = learner_with_login(a.provider, preferred_language="de")
    long_enrolment = enrol_for_days(long_learner, course, 50)
    other = learner_with_login(a.provider, preferred_language="de", first_name="Omar")
    other_enrolment = enrol_for_days(other, course, 5)
    return SimpleNamespace(
        world=world,
        course=course,
        learner=learner,
        user=learner.user,
        enrolment=enrolment,
        long_learner=long_learner,
        long_enrolment=long_enrolment,
        other=other,
        other_enrolment=other_enrolment,
        staff=a.staff,
        teacher=a.teacher,
        other_staff=world.b.staff,
        other_teacher=world.b.teacher,
        caseworker=world.caseworker,
        today=today,
        codes=Code,
    )


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded evidence goes to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path
