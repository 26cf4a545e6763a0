import random
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from jobcenter import selectors, services
from jobcenter.models import AccessLogRecord, ConsentScope
from people.models import LearnerEvent
from people.services import learner_event_record
from tests.factories import (
    JobcenterFactory,
    JobcenterLinkFactory,
    LearnerFactory,
    OrganisationFactory,
)
from tests.jobcenter.helpers import api_key, auth

URL = "/api/v1/jobcenter/events/"


def read_all(client, key, after=0, limit=100):
    seen = []
    while True:
        body = client.get(URL, {"after": after, "limit": limit}, **auth(key)).json()
        seen += body["results"]
        after = body["next_cursor"]
        if not body["has_more"]:
            return seen, after


def test_feed_lists_own_linked_clients_events_oldest_first(jc, api_client):
    learner_event_record(
        learner=jc.ana, type="enrolled", data={"enrolment_id": jc.ana_enrolment.pk}
    )
    learner_event_record(learner=jc.ben, type="enrolled")
    learner_event_record(learner=jc.cem, type="enrolled")
    learner_event_record(learner=jc.ana, type="course_started", data={"date": "2026-01-05"})
    events, _ = read_all(api_client, jc.key)
    assert [(e["type"], e["customer_number"]) for e in events] == [
        ("enrolled", "JC-1001"),
        ("course_started", "JC-1001"),
    ]
    assert events[0]["data"]["course_type"] == jc.course.course_type.code
    assert events[0]["data"]["provider"] == str(jc.course.provider)
    assert events[1]["data"] == {"date": "2026-01-05"}
    assert events[0]["id"] < events[1]["id"]
    other, _ = read_all(api_client, jc.other_key)
    assert [(e["type"], e["customer_number"]) for e in other] == [("enrolled", "JC-2001")]


def test_cursor_pages_without_repeats_and_continues_later(jc, api_client):
    for i in range(5):
        learner_event_record(learner=jc.ana, type="enrolled", data={"date": f"2026-01-0{i + 1}"})
    first = api_client.get(URL, {"limit": 2}, **auth(jc.key)).json()
    assert len(first["results"]) == 2 and first["has_more"] is True
    events, cursor = read_all(api_client, jc.key, after=first["next_cursor"], limit=2)
    ids = [e["id"] for e in first["results"] + events]
    assert len(ids) == 5 == len(set(ids)) and ids == sorted(ids)
    assert read_all(api_client, jc.key, after=cursor)[0] == []
    learner_event_record(learner=jc.ana, type="completed")
    later, _ = read_all(api_client, jc.key, after=cursor)
    assert [e["type"] for e in later] == ["completed"]


def test_revoked_consent_hides_events_at_once(jc, api_client):
    learner_event_record(learner=jc.ana, type="enrolled")
    assert len(read_all(api_client, jc.key)[0]) == 1
    services.consent_revoke(link=jc.ana_link, by=None)
    assert read_all(api_client, jc.key)[0] == []


def test_scope_hides_attendance_and_internship_events_but_moves_the_cursor(jc, api_client):
    services.consent_revoke(link=jc.ana_link, by=None)
    JobcenterLinkFactory(
        learner=jc.ana,
        jobcenter=jc.world.jobcenter,
        customer_number="JC-1001",
        consent_scope=ConsentScope.ENROLMENT,
    )
    learner_event_record(learner=jc.ana, type="internship_started")
    last = learner_event_record(
        learner=jc.ana, type="not_participating_properly", data={"from": "2026-01-01"}
    )
    body = api_client.get(URL, **auth(jc.key)).json()
    assert body["results"] == []
    assert body["next_cursor"] == last.feed_entry.position


def test_withdrawal_gives_a_category_never_the_illness_or_notes(jc, api_client):
    learner_event_record(
        learner=jc.ana,
        type="withdrawn",
        data={"reason": "illness", "note": "Krankenhaus", "date": "2026-02-01"},
    )
    learner_event_record(learner=jc.ana, type="withdrawn", data={"reason": "work"})
    events, _ = read_all(api_client, jc.key)
    assert events[0]["data"] == {"date": "2026-02-01", "reason_category": "personal"}
    assert events[1]["data"] == {"reason_category": "work"}
    rows = AccessLogRecord.objects.filter(learner=jc.ana)
    assert rows.exists() and "event.reason_category" in rows.first().fields


def test_offered_and_transferred_are_not_part_of_the_contract(jc, api_client):
    learner_event_record(learner=jc.ana, type="offered")
    learner_event_record(learner=jc.ana, type="transferred")
    assert read_all(api_client, jc.key)[0] == []


def test_feed_query_count_is_constant(jc, api_client, django_assert_max_num_queries):
    from django.test.utils import CaptureQueriesContext

    def count(n):
        for _ in range(n):
            learner_event_record(
                learner=jc.ana, type="enrolled", data={"enrolment_id": jc.ana_enrolment.pk}
            )
        with CaptureQueriesContext(connection) as ctx:
            r = api_client.get(URL, {"limit": 500}, **auth(jc.key))
        assert r.status_code == 200
        return len(ctx.captured_queries)

    assert count(1) == count(40)


def test_malformed_cursor_is_400(jc, api_client):
    for params in ({"after": "abc"}, {"after": -1}, {"limit": 0}, {"after": 2**70}):
        r = api_client.get(URL, params, **auth(jc.key))
        assert r.status_code == 400, params
        assert set(r.json()["fields"]) <= {"after", "limit"}


# --- PostgreSQL: commit order ----------------------------------------------------------------


def _minimal_client():
    provider = OrganisationFactory()
    jobcenter = JobcenterFactory()
    learners = LearnerFactory.create_batch(3, provider=provider)
    for i, learner in enumerate(learners):
        JobcenterLinkFactory(learner=learner, jobcenter=jobcenter, customer_number=f"C-{i}")
    return jobcenter, learners


def _ids(jobcenter_id, after):
    services.feed_sequence()
    page = selectors.feed_events(jobcenter_id=jobcenter_id, after=after, limit=1000)
    return [e["id"] for e in page.events], page.next_cursor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_event_committed_late_with_a_lower_id_is_not_lost(on_postgres):
    jobcenter, learners = _minimal_client()
    inserted, release, done = threading.Event(), threading.Event(), threading.Event()
    slow_id = []

    def slow_writer():
        try:
            with transaction.atomic():
                slow_id.append(learner_event_record(learner=learners[0], type="enrolled").pk)
                inserted.set()
                release.wait(10)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inserted.wait(10)
    fast = learner_event_record(learner=learners[1], type="enrolled")  # autocommit
    assert fast.pk > slow_id[0]
    seen, cursor = _ids(jobcenter.pk, 0)
    assert seen == [fast.pk]  # the slow event is not committed yet
    release.set()
    assert done.wait(10)
    thread.join()
    more, cursor = _ids(jobcenter.pk, cursor)
    assert more == [slow_id[0]]  # an id-based cursor (> fast.pk) would have lost it
    assert _ids(jobcenter.pk, cursor)[0] == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cursor_neither_loses_nor_repeats_under_concurrent_writes(on_postgres, client):
    jobcenter, learners = _minimal_client()
    key = api_key(jobcenter)
    writers, per_writer = 4, 15
    written: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(seed):
        rng = random.Random(seed)
        try:
            for _ in range(per_writer):
                with transaction.atomic():
                    event = learner_event_record(learner=rng.choice(learners), type="enrolled")
                    time.sleep(rng.random() * 0.02)  # hold the id uncommitted for a while
                with lock:
                    written.append(event.pk)
        finally:
            connections.close_all()

    seen: list[int] = []

    def reader():
        cursor = 0
        try:
            while not stop.is_set():
                r = client.get(URL, {"after": cursor, "limit": 7}, **auth(key))
                body = r.json()
                seen.extend(e["id"] for e in body["results"])
                cursor = body["next_cursor"]
            while True:  # drain
                body = client.get(URL, {"after": cursor, "limit": 7}, **auth(key)).json()
                seen.extend(e["id"] for e in body["results"])
                cursor = body["next_cursor"]
                if not body["has_more"] and not body["results"]:
                    break
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    read_thread = threading.Thread(target=reader)
    read_thread.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    read_thread.join()
    assert len(written) == writers * per_writer
    assert len(seen) == len(set(seen)), "an event was served twice"
    assert sorted(seen) == sorted(written), "an event was lost"
    assert LearnerEvent.objects.count() == len(written)
    assert timezone.now()
