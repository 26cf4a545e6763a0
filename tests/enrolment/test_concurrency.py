"""Capacity safety under concurrent requests (PostgreSQL: real row locks, one connection per thread)."""

import threading

import pytest
from django.db import connection

from enrolment import services
from enrolment.models import Enrolment
from tests.factories import LearnerFactory, build_provider

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_fifty_concurrent_enrolments_for_last_seats(on_postgres):
    side = build_provider("Konkurrenz")
    course = side.course
    course.capacity = 25
    course.save(update_fields=["capacity"])
    for _ in range(22):
        services.enrolment_create(course=course, learner=LearnerFactory(provider=side.provider))
    learners = [LearnerFactory(provider=side.provider) for _ in range(50)]
    barrier = threading.Barrier(len(learners))
    errors: list[BaseException] = []

    def worker(lr):
        try:
            barrier.wait(timeout=30)
            services.enrolment_create(course=course, learner=lr, by=side.staff)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(lr,)) for lr in learners]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert errors == []
    rows = Enrolment.objects.filter(course=course)
    assert rows.filter(status="enrolled").count() == 25
    assert rows.filter(status="waitlisted").count() == 47
    assert rows.count() == 72
    assert rows.values("learner").distinct().count() == 72


def test_concurrent_repeats_of_one_request_make_one_enrolment(on_postgres):
    side = build_provider("Wiederholung")
    lr = LearnerFactory(provider=side.provider)
    barrier = threading.Barrier(10)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=30)
            results.append(services.enrolment_create(course=side.course, learner=lr).pk)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(set(results)) == 1
    assert Enrolment.objects.filter(learner=lr).count() == 1
