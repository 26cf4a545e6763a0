"""The InGe outbox's test data: a course starting on 5 January 2026 with everything InGe asks for."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from billing.inge.services import inge_form
from billing.models import InGeReport, TeacherAdmission
from tests.certificates.helpers import COURSE_START, running_course
from tests.factories import EnrolmentFactory, EntitlementFactory, LearnerFactory

#: Module 2 of the general course starts on the Monday after module 1's 20 days (5 UE a day).
MODULE_2_START = dt.date(2026, 2, 2)
BEFORE_START = COURSE_START - dt.timedelta(days=3)


@pytest.fixture
def inge(world):
    """A course starting on 5 January 2026 with everything InGe asks for: provider and course
    numbers, a full address, an admitted teacher, two learners with Kennziffer and entitlement."""
    a = world.a
    a.provider.bamf_provider_number = "T-4711"
    a.provider.save()
    a.location.street, a.location.postcode = "Bahnhofstraße 1", "25421"
    a.location.save()
    course = running_course(
        a.provider, location=a.location, teachers=[a.teacher], bamf_course_number="IK-123/2026"
    )
    a.teacher.first_name, a.teacher.last_name = "Lena", "Lehrer"
    a.teacher.save()
    TeacherAdmission.objects.create(
        provider=a.provider, teacher=a.teacher, number="LK-99", admitted_on=dt.date(2024, 1, 1)
    )
    learners = [
        LearnerFactory(
            provider=a.provider,
            first_name=first,
            last_name=last,
            date_of_birth=dt.date(1990, 3, n + 1),
            bamf_number=f"K-{n}",
        )
        for n, (first, last) in enumerate([("Amal", "Aziz"), ("Boris", "Bondar")])
    ]
    for learner in learners:
        EntitlementFactory(
            learner=learner,
            reference="BAMF-2025-1",
            issued_on=dt.date(2025, 12, 1),
            expires_on=dt.date(2026, 11, 30),
        )
    enrolments = [EnrolmentFactory(course=course, learner=learner) for learner in learners]
    return SimpleNamespace(
        world=world, a=a, course=course, learners=learners, enrolments=enrolments
    )


def report(course, kind, **filters) -> InGeReport:
    return InGeReport.objects.get(course=course, kind=kind, corrects__isnull=True, **filters)


def missing_keys(rep: InGeReport) -> list[str]:
    return sorted({m.key for m in inge_form(rep).missing})
