"""Concurrent check-ins of one learner leave one record (PostgreSQL: real row-level races)."""

import threading

import pytest
from django.db import connection

from attendance.models import AttendanceRecord
from attendance.services import card_checkin, card_issue, checkin_record


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_checkins_of_one_learner_leave_one_record(on_postgres, att):
    user = att.learners[0].user
    card = card_issue(learner=att.learners[0], by=att.staff)
    threads_n = 8
    barrier = threading.Barrier(threads_n)
    results, errors = [], []

    def worker(n):
        try:
            barrier.wait(timeout=10)
            if n % 2:
                results.append(checkin_record(session_id=att.session.pk, user=user).created)
            else:
                results.append(
                    card_checkin(session=att.session, token=card.token, by=att.teacher).created
                )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(results) == [False] * (threads_n - 1) + [True]
    assert AttendanceRecord.objects.filter(enrolment=att.enrolments[0]).count() == 1
