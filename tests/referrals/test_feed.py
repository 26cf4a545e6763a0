"""Referral status changes in the Jobcenter event feed: the Jobcenter that sent the referral
reads every step with its date (and the decline reason or outcome code), never the receiver's
note or attendance; another Jobcenter reads nothing of it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from enrolment.services import enrolment_create
from jobcenter.models import AccessLogRecord, FeedNotice
from referrals import services
from referrals.models import DeclineReason, Obligation, Outcome, Referral
from tests.jobcenter.helpers import api_key, auth
from tests.referrals.conftest import send

pytestmark = pytest.mark.django_db

URL = "/api/v1/jobcenter/events/"


def read_all(client, key) -> list[dict]:
    seen, after = [], 0
    while True:
        body = client.get(URL, {"after": after, "limit": 3}, **auth(key)).json()
        seen += body["results"]
        after = body["next_cursor"]
        if not body["has_more"]:
            return seen


def jobcenter_referral(net, **overrides) -> Referral:
    values = dict(
        sender_organisation=net.w.jobcenter,
        sender=net.w.caseworker,
        obligation=Obligation.JOBCENTER,
        consent=None,
        customer_number="123D456789",
        client_reference="JC-7",
    )
    values.update(overrides)
    return send(net, **values)


def today() -> str:
    return timezone.localdate().isoformat()


def test_the_sending_jobcenter_reads_every_step_with_dates_only(api_client, net):
    referral = jobcenter_referral(net)
    services.referral_accept(referral=referral, by=net.receiver_staff)
    services.referral_note(referral=referral, by=net.receiver_staff, receiver_note="SECRET-NOTE")
    learner = services.referral_learner_create(referral=referral, by=net.receiver_staff)
    enrolment_create(course=net.w.a.course, learner=learner, by=net.receiver_staff)
    referral.refresh_from_db()
    services.referral_close(referral=referral, by=net.receiver_staff, outcome=Outcome.STARTED)

    events = read_all(api_client, api_key(net.w.jobcenter))

    steps = [(e["type"], e["data"]["status"]) for e in events]
    assert steps == [
        ("referral_sent", "sent"),
        ("referral_accepted", "accepted"),
        ("referral_enrolled", "enrolled"),
        ("referral_closed", "closed"),
    ]
    for event in events:
        assert event["customer_number"] == "123D456789"
        assert event["data"]["referral_id"] == referral.pk
        assert event["data"]["client_reference"] == "JC-7"
        assert event["data"]["date"] == today()
    assert events[-1]["data"]["outcome"] == Outcome.STARTED
    allowed = {"referral_id", "client_reference", "status", "date", "decline_reason", "outcome"}
    assert all(set(e["data"]) <= allowed for e in events)
    text = str(events)
    assert "SECRET-NOTE" not in text and "attend" not in text and "Koval" not in text


def test_a_decline_carries_its_reason(api_client, net):
    referral = jobcenter_referral(net)
    services.referral_decline(
        referral=referral,
        by=net.receiver_staff,
        reason=DeclineReason.NO_PLACES,
        receiver_note="intern: keine Plätze bis März",
    )
    events = read_all(api_client, api_key(net.w.jobcenter))
    declined = [e for e in events if e["type"] == "referral_declined"]
    assert [e["data"]["decline_reason"] for e in declined] == ["no_places"]
    assert "März" not in str(events)


def test_another_jobcenter_never_sees_them(api_client, net):
    referral = jobcenter_referral(net)
    services.referral_accept(referral=referral, by=net.receiver_staff)
    assert read_all(api_client, api_key(net.w.other_jobcenter)) == []


def test_a_counsellors_referral_makes_no_notice(net):
    referral = send(net)
    services.referral_accept(referral=referral, by=net.receiver_staff)
    assert not FeedNotice.objects.exists()


def test_notices_share_the_feed_cursor_with_learner_events(api_client, net):
    """Paging three at a time over notices interleaved with steps: each seen exactly once."""
    refs = [
        jobcenter_referral(net, client_reference=f"JC-{i}", first_name=f"P{i}") for i in range(3)
    ]
    for r in refs:
        services.referral_accept(referral=r, by=net.receiver_staff)
    events = read_all(api_client, api_key(net.w.jobcenter))
    assert len(events) == 6 and len({e["cursor"] for e in events}) == 6
    assert [e["cursor"] for e in events] == sorted(e["cursor"] for e in events)


def test_reading_notices_logs_no_learner(api_client, net):
    jobcenter_referral(net)
    read_all(api_client, api_key(net.w.jobcenter))
    assert not AccessLogRecord.objects.exists()


def test_the_openapi_schema_documents_the_new_types(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    components = schema["components"]["schemas"]
    event = components["EventOutput"]["properties"]
    kinds = components[event["type"]["$ref"].rsplit("/", 1)[1]]["enum"]
    for kind in FeedNotice.Type.values:
        assert kind in kinds
        assert f"`{kind}`" in event["data"]["description"]
    referral = schema["components"]["schemas"]["ReferralOutput"]["properties"]
    assert {"consent_pending", "consent_code"} <= set(referral)
