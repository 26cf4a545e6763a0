"""Catalogue fixtures: a handful of courses that differ in exactly the filtered attributes."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from courses.models import Course, Module
from enrolment.models import Enrolment
from tests.factories import (
    EnrolmentFactory,
    LocationFactory,
    OrganisationFactory,
    make_course,
)


def slots(start: dt.time, end: dt.time, ue: int, days=range(5)) -> list[dict]:
    return [{"weekday": d, "start_time": start, "end_time": end, "ue": ue} for d in days]


MORNING = slots(dt.time(8, 30), dt.time(12, 45), 5)
AFTERNOON = slots(dt.time(13, 30), dt.time(16, 30), 4)
EVENING = slots(dt.time(18, 0), dt.time(21, 0), 4)


def build_catalogue() -> SimpleNamespace:
    today = timezone.localdate()
    p1 = OrganisationFactory(name="Diakonie Pinneberg")
    p2 = OrganisationFactory(name="Caritas Elmshorn")
    l1 = LocationFactory(organisation=p1, name="Haus der Diakonie", town="Pinneberg")
    l3 = LocationFactory(organisation=p1, name="Bürgerhaus", town="Wedel")
    l2 = LocationFactory(organisation=p2, name="Caritas-Zentrum", town="Elmshorn")
    general = make_course(
        provider=p1, location=l1, start=today + dt.timedelta(days=14), slots=MORNING
    )
    late_start = make_course(
        provider=p1,
        location=l1,
        start=today + dt.timedelta(days=21),
        slots=MORNING,
        first_module=Module.objects.get(course_type=general.course_type, order=3),
    )
    intensive = make_course(
        provider=p2,
        location=l2,
        type_code="intensive",
        start=today + dt.timedelta(days=30),
        slots=EVENING,
        childcare=True,
    )
    bsk = make_course(
        provider=p1,
        location=l3,
        type_code="bsk_b2",
        start=today + dt.timedelta(days=60),
        slots=AFTERNOON,
    )
    full = make_course(
        provider=p2,
        location=l2,
        type_code="job_bsk",
        start=today + dt.timedelta(days=45),
        slots=EVENING,
        capacity=3,
    )
    EnrolmentFactory.create_batch(3, course=full)
    EnrolmentFactory.create_batch(2, course=general)
    # waiting learners take no seat
    EnrolmentFactory.create_batch(4, course=general, status=Enrolment.Status.WAITLISTED)
    hidden = [
        make_course(provider=p1, location=l1, is_published=False),
        make_course(provider=p1, location=l1, status=Course.Status.CANCELLED),
        make_course(provider=p2, location=l2, status=Course.Status.COMPLETED),
    ]
    return SimpleNamespace(
        today=today,
        p1=p1,
        p2=p2,
        l1=l1,
        l2=l2,
        l3=l3,
        general=general,
        late_start=late_start,
        intensive=intensive,
        bsk=bsk,
        full=full,
        hidden=hidden,
        public=[general, late_start, intensive, bsk, full],
    )
