"""A small, hand-countable data set for the reports (January–February 2026).

Provider a, location "Diakonie Haus":
  course P1 (general integration course, Mon–Fri 5 UE, starts Mon 05.01.2026, capacity 25),
  taught by a.teacher:
    L1 (ar, registered 01.12.2025) enrolled from the start: X on all five days of week 1
    L2 (ar, registered 01.11.2025, obliged) enrolled: X Mon, X Tue, E Wed, U Thu, nothing Fri
    L3 (uk, registered 20.12.2025) enrolled, entry Wed 07.01.: X Wed, X Thu, P Fri
    L5 (registered 27.12.2025) entry Mon 12.01., withdrawn (work), left 20.01.2026; no entries
Provider a, location "Nebenstelle":
  course P2 (BSK B1→B2, starts Mon 12.01.2026, capacity 20), taught by a.other_teacher:
    L6 (registered 01.01.2026) withdrawn (illness), left 10.02.2026: X on Mon 12.01.
Provider b: course Q1 (general, starts 05.01.2026) with one learner present every day.

Week 1 of P1 (05.–09.01.): held UE L1 25, L2 25, L3 15 → 65; attended 25 + 10 + 15 = 50.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from courses.models import Course
from internships.models import Placement
from people.models import Network, Role
from tests.factories import (
    AttendanceRecordFactory,
    EmployerFactory,
    EnrolmentFactory,
    InternshipFactory,
    JobcenterFactory,
    LearnerFactory,
    LocationFactory,
    ObligationFactory,
    make_course,
    member,
    register_fill,
)

D = dt.date
WEEK1 = [D(2026, 1, 5) + dt.timedelta(days=i) for i in range(5)]


@pytest.fixture
def rw(world):
    a, b = world.a, world.b
    p1 = make_course(
        provider=a.provider,
        location=a.location,
        start=D(2026, 1, 5),
        teachers=[a.teacher],
        status=Course.Status.RUNNING,
        title="P1 Integrationskurs",
    )
    other_location = LocationFactory(organisation=a.provider, name="Nebenstelle", town="Uetersen")
    p2 = make_course(
        provider=a.provider,
        location=other_location,
        type_code="bsk_b2",
        start=D(2026, 1, 12),
        teachers=[a.other_teacher],
        status=Course.Status.RUNNING,
        capacity=20,
        title="P2 Berufssprachkurs",
    )
    l1 = LearnerFactory(provider=a.provider, preferred_language="ar", registered_on=D(2025, 12, 1))
    l2 = LearnerFactory(provider=a.provider, preferred_language="ar", registered_on=D(2025, 11, 1))
    ObligationFactory(
        learner=l2,
        jobcenter=world.jobcenter,
        issued_on=D(2025, 10, 1),
        expires_on=D(2026, 10, 1),
    )
    l3 = LearnerFactory(provider=a.provider, preferred_language="uk", registered_on=D(2025, 12, 20))
    l5 = LearnerFactory(provider=a.provider, registered_on=D(2025, 12, 27))
    l6 = LearnerFactory(provider=a.provider, registered_on=D(2026, 1, 1))
    e1 = EnrolmentFactory(
        course=p1, learner=l1, start_date=D(2026, 1, 5)
    )  # the enrolment service always sets the entry date
    e2 = EnrolmentFactory(course=p1, learner=l2, start_date=D(2026, 1, 5))
    e3 = EnrolmentFactory(course=p1, learner=l3, start_date=D(2026, 1, 7))
    EnrolmentFactory(
        course=p1,
        learner=l5,
        status="withdrawn",
        start_date=D(2026, 1, 12),
        ended_on=D(2026, 1, 20),
        withdrawal_reason="work",
    )
    e6 = EnrolmentFactory(
        course=p2,
        learner=l6,
        status="withdrawn",
        start_date=D(2026, 1, 12),
        ended_on=D(2026, 2, 10),
        withdrawal_reason="illness",
    )
    p1_week1 = list(p1.sessions.filter(date__in=WEEK1).order_by("date"))
    register_fill(e1, p1_week1, "XXXXX")
    register_fill(e2, p1_week1[:4], "XXEU")
    register_fill(e3, p1_week1[2:], "XXP")
    AttendanceRecordFactory(session=p2.sessions.get(date=D(2026, 1, 12)), enrolment=e6)

    q1 = make_course(
        provider=b.provider,
        location=b.location,
        start=D(2026, 1, 5),
        teachers=[b.teacher],
        status=Course.Status.RUNNING,
        title="Q1 fremd",
    )
    lb = LearnerFactory(provider=b.provider, registered_on=D(2025, 12, 1))
    eb = EnrolmentFactory(course=q1, learner=lb)
    register_fill(eb, q1.sessions.filter(date__in=WEEK1).order_by("date"), "XXXXX")
    EnrolmentFactory(
        course=q1,
        learner=LearnerFactory(provider=b.provider),
        status="withdrawn",
        ended_on=D(2026, 1, 9),
        withdrawal_reason="moving",
    )

    employer = EmployerFactory(provider=a.provider, name="Bäckerei Kruse")
    InternshipFactory(
        learner=l1,
        employer=employer,
        start_date=D(2026, 1, 10),
        end_date=D(2026, 2, 6),
        status=Placement.Status.COMPLETED,
        outcome="job_offer",
    )
    InternshipFactory(
        learner=l2,
        employer=employer,
        start_date=D(2026, 2, 1),
        end_date=D(2026, 2, 14),
        hours_per_week=Decimal(30),
        status=Placement.Status.ABORTED,
    )
    network = Network.objects.create(name="Kreis Pinneberg")
    a.provider.network = network
    a.provider.save(update_fields=["network"])
    b.provider.network = network
    b.provider.save(update_fields=["network"])
    coordination = JobcenterFactory(name="Koordinierung Kreis Pinneberg", network=network)
    viewer = member(coordination, Role.NETWORK_VIEWER, username="network-viewer")
    return SimpleNamespace(
        world=world,
        a=a,
        b=b,
        p1=p1,
        p2=p2,
        q1=q1,
        other_location=other_location,
        learners=SimpleNamespace(l1=l1, l2=l2, l3=l3, l5=l5, l6=l6, lb=lb),
        enrolments=SimpleNamespace(e1=e1, e2=e2, e3=e3, e6=e6),
        viewer=viewer,
        network=network,
    )
