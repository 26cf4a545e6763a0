"""Data for the Jobcenter tests: linked learners with enrolments, attendance and internships."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from attendance.models import Code
from courses.models import Session
from jobcenter import services
from tests.factories import (
    EnrolmentFactory,
    InternshipFactory,
    JobcenterLinkFactory,
    make_course,
    register_fill,
)


def running_course(provider, location):
    """A course that started three weeks ago (so sessions have been held)."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=21 + today.weekday())
    return make_course(provider=provider, location=location, start=start)


def held_days(course, n: int) -> list[Session]:
    """The course's first ``n`` held sessions before today."""
    return list(
        Session.objects.held()
        .filter(course=course, date__lt=timezone.localdate())
        .order_by("date")[:n]
    )


def scenario(world) -> SimpleNamespace:
    """Learner ``ana`` (provider a) is a consenting client of Jobcenter A, enrolled in a running
    course with 4 present days and 1 unexcused, and in an internship; ``ben`` (provider b) is
    obliged by Jobcenter B; ``cem`` (provider a) is not linked at all."""
    a, b = world.a, world.b
    course = running_course(a.provider, a.location)
    ana, cem = a.learners[0], a.learners[1]
    ben = b.learners[0]
    ana_link = JobcenterLinkFactory(
        learner=ana, jobcenter=world.jobcenter, customer_number="JC-1001"
    )
    ben_link = JobcenterLinkFactory(
        learner=ben, jobcenter=world.other_jobcenter, customer_number="JC-2001", obliged=True
    )
    ana_enrolment = EnrolmentFactory(learner=ana, course=course)
    register_fill(ana_enrolment, held_days(course, 5), [Code.PRESENT] * 4 + [Code.UNEXCUSED])
    EnrolmentFactory(learner=cem, course=course)
    InternshipFactory(learner=ana, employer__name="Bäckerei Ruge")
    return SimpleNamespace(
        course=course,
        ana=ana,
        ben=ben,
        cem=cem,
        ana_link=ana_link,
        ben_link=ben_link,
        ana_enrolment=ana_enrolment,
    )


def api_key(jobcenter) -> str:
    return services.api_key_create(jobcenter=jobcenter, name="test", by=None)[1]


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Api-Key {key}"}
