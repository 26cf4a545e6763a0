"""Property: whatever happens, enrolled ≤ capacity, nobody both holds and waits, and seats go by
priority order."""

import contextlib
import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from courses.services import course_update
from enrolment import selectors, services
from enrolment.models import Enrolment
from people.models import Entitlement
from tests.factories import EntitlementFactory, LearnerFactory, build_provider, make_course

S = Enrolment.Status
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("enrol"), st.integers(0, 7), st.integers(0, 1)),
        st.tuples(st.just("withdraw"), st.integers(0, 7), st.integers(0, 1)),
        st.tuples(st.just("transfer"), st.integers(0, 7), st.integers(0, 1)),
        st.tuples(st.just("capacity"), st.integers(1, 4), st.integers(0, 1)),
        st.tuples(st.just("accept"), st.integers(0, 7), st.integers(0, 1)),
    ),
    min_size=1,
    max_size=14,
)


class _Undo(Exception):
    pass


def _check(courses):
    for course in courses:
        course.refresh_from_db()
        held = Enrolment.objects.filter(course=course, status__in=[S.ENROLLED, S.OFFERED]).count()
        assert held <= course.capacity
        assert course.seats_held == held  # the one seat count the catalogue shows
        active = Enrolment.objects.active().filter(course=course)
        assert active.count() == active.values("learner").distinct().count()


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
@given(ops=OPS, auto=st.booleans())
def test_any_sequence_keeps_invariants(ops, auto):
    from django.db import transaction

    try:
        with transaction.atomic():
            _run(ops, auto)
            raise _Undo
    except _Undo:
        pass


def _run(ops, auto):
    if True:
        side = build_provider("Eigenschaft")
        one = side.course
        two = make_course(provider=side.provider, location=side.location)
        courses = [one, two]
        for c in courses:
            c.capacity = 2
            c.waitlist_auto_enrol = auto
            c.save()
        today = timezone.localdate()
        learners = []
        for i in range(8):
            lr = LearnerFactory(provider=side.provider, registered_on=today - dt.timedelta(days=i))
            if i % 3 == 0:
                EntitlementFactory(
                    learner=lr,
                    kind=Entitlement.Kind.OBLIGATION,
                    authority=Entitlement.Authority.JOBCENTER,
                )
            learners.append(lr)
        for op, i, j in ops:
            course = courses[j]
            before = [e.learner.pk for e in selectors.waiting_entries(course)]
            before_held = set(
                Enrolment.objects.filter(
                    course=course, status__in=[S.ENROLLED, S.OFFERED]
                ).values_list("learner_id", flat=True)
            )
            if op == "enrol":
                services.enrolment_create(course=course, learner=learners[i])
            elif op == "capacity":
                held = Enrolment.objects.filter(
                    course=course, status__in=[S.ENROLLED, S.OFFERED]
                ).count()
                # the catalogue's service tells the waiting list when seats free
                course_update(course=course, capacity=max(i, held, 1))
            else:
                e = Enrolment.objects.active().filter(course=course, learner=learners[i]).first()
                if e is None:
                    continue
                if op == "withdraw":
                    services.enrolment_withdraw(enrolment=e, reason="other")
                elif op == "transfer" and e.status == S.ENROLLED:
                    other = courses[1 - j]
                    with contextlib.suppress(DomainError):
                        services.enrolment_transfer(enrolment=e, to_course=other)
                elif op == "accept" and e.status == S.OFFERED:
                    services.offer_accept(enrolment=e)
            # promotions on this course follow the waiting order: promoted learners are a prefix
            after_held = set(
                Enrolment.objects.filter(
                    course=course, status__in=[S.ENROLLED, S.OFFERED]
                ).values_list("learner_id", flat=True)
            )
            promoted = [pk for pk in before if pk in after_held - before_held]
            if promoted:
                assert before[: len(promoted)] == promoted
            _check(courses)
