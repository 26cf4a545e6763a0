"""Data for the data-protection tests: records of every kind with known dates.

A course of provider a that ran in the first half of 2019 (its end date comes from the planned
sessions); a learner with an enrolment and register rows in it; the rest is built per test with
the helpers below, each row with the date its period runs from chosen by the test.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from courses.models import Course
from enrolment.models import Enrolment
from privacy.services.retention import retention_run
from tests.factories import AttendanceRecordFactory, EnrolmentFactory, LearnerFactory, make_course

D = dt.date


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware time in Europe/Berlin."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def run(day: dt.date, *, dry_run: bool = False):
    return retention_run(today=day, dry_run=dry_run)


@pytest.fixture
def old(world):
    """Provider a's course of 2019 with one learner enrolled and present on its first day."""
    a = world.a
    course = make_course(
        provider=a.provider,
        location=a.location,
        start=D(2019, 1, 7),
        teachers=[a.teacher],
        status=Course.Status.COMPLETED,
        title="Integrationskurs 2019",
    )
    course.refresh_from_db()
    learner = LearnerFactory(
        provider=a.provider, registered_on=D(2018, 12, 3), phone="0176 000", notes="ruft an"
    )
    enrolment = EnrolmentFactory(
        course=course, learner=learner, created_by=a.staff, status=Enrolment.Status.COMPLETED
    )
    first = AttendanceRecordFactory(
        session=course.sessions.get(date=D(2019, 1, 7)),
        enrolment=enrolment,
        recorded_by=a.teacher,
        note="pünktlich",
    )
    return SimpleNamespace(
        world=world, a=a, course=course, learner=learner, enrolment=enrolment, first=first
    )
