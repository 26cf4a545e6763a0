"""Data for the Jobcenter tests: linked learners with enrolments, attendance and internships."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from attendance.models import AttendanceRecord, Code, Method
from courses.models import Session
from enrolment.models import Enrolment
from internships.models import Employer, Placement
from jobcenter import services
from jobcenter.models import ConsentScope, JobcenterLink
from people.models import Entitlement, Learner, Organisation
from tests.factories import EnrolmentFactory, make_course


def consent_link(
    learner: Learner,
    jobcenter: Organisation,
    number: str,
    scope: str = ConsentScope.PARTICIPATION_INTERNSHIPS,
) -> JobcenterLink:
    return services.link_create(
        learner=learner,
        jobcenter=jobcenter,
        customer_number=number,
        basis=JobcenterLink.Basis.CONSENT,
        consent_given_on=timezone.localdate() - dt.timedelta(days=3),
        consent_scope=scope,
        by=None,
    )


def obligation_link(learner: Learner, jobcenter: Organisation, number: str) -> JobcenterLink:
    obligation = Entitlement.objects.create(
        learner=learner,
        kind=Entitlement.Kind.OBLIGATION,
        authority=Entitlement.Authority.JOBCENTER,
        jobcenter=jobcenter,
        issued_on=timezone.localdate() - dt.timedelta(days=60),
        expires_on=timezone.localdate() + dt.timedelta(days=300),
    )
    return services.link_create(
        learner=learner,
        jobcenter=jobcenter,
        customer_number=number,
        basis=JobcenterLink.Basis.OBLIGATION,
        obligation=obligation,
        by=None,
    )


def running_course(provider, location):
    """A course that started three weeks ago (so sessions have been held)."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=21 + today.weekday())
    return make_course(provider=provider, location=location, start=start)


def enrol(learner, course, status=Enrolment.Status.ENROLLED, **fields) -> Enrolment:
    return EnrolmentFactory(learner=learner, course=course, status=status, **fields)


def attend(enrolment: Enrolment, codes: list[str]) -> list[Session]:
    """Record ``codes`` for the course's first held sessions (present = full UE)."""
    sessions = list(
        Session.objects.held()
        .filter(course=enrolment.course, date__lt=timezone.localdate())
        .order_by("date")[: len(codes)]
    )
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(
            session=s,
            enrolment=enrolment,
            code=code,
            ue_attended=Decimal(s.ue) if code == Code.PRESENT else Decimal(0),
            method=Method.TEACHER,
        )
        for s, code in zip(sessions, codes, strict=True)
    )
    return sessions


def placement(learner, provider, **fields) -> Placement:
    employer = Employer.objects.create(
        provider=provider, name=fields.pop("employer", "Bäckerei Ruge")
    )
    today = timezone.localdate()
    return Placement.objects.create(
        learner=learner,
        employer=employer,
        start_date=fields.pop("start_date", today - dt.timedelta(days=7)),
        end_date=fields.pop("end_date", today + dt.timedelta(days=21)),
        hours_per_week=Decimal("20.0"),
        status=Placement.Status.RUNNING,
        **fields,
    )


def scenario(world) -> SimpleNamespace:
    """Learner ``ana`` (provider a) is a consenting client of Jobcenter A, enrolled in a running
    course with 4 present days and 1 unexcused, and in an internship; ``ben`` (provider b) is
    obliged by Jobcenter B; ``cem`` (provider a) is not linked at all."""
    a, b = world.a, world.b
    course = running_course(a.provider, a.location)
    ana, cem = a.learners[0], a.learners[1]
    ben = b.learners[0]
    ana_link = consent_link(ana, world.jobcenter, "JC-1001")
    ben_link = obligation_link(ben, world.other_jobcenter, "JC-2001")
    ana_enrolment = enrol(ana, course)
    attend(ana_enrolment, [Code.PRESENT] * 4 + [Code.UNEXCUSED])
    enrol(cem, course)
    placement(ana, a.provider)
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
