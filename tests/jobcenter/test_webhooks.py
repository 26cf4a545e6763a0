import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from jobcenter import services
from jobcenter.models import Webhook, WebhookDelivery
from people.models import LearnerEvent
from people.services import learner_event_record
from tests.jobcenter.helpers import auth

HOOKS = "/api/v1/jobcenter/webhooks/"


class Receiver:
    """A local HTTP endpoint on 127.0.0.1 that records requests and answers ``status``."""

    def __init__(self):
        self.requests: list[tuple[dict, bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        for port in range(8420, 8450):
            try:
                self.server = HTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def hook(jc, receiver, api_client):
    r = api_client.post(HOOKS, {"url": receiver.url}, format="json", **auth(jc.key))
    assert r.status_code == 201
    return r.json()


def verify_signature(secret: str, headers: dict, body: bytes) -> bool:
    parts = dict(p.split("=", 1) for p in headers["X-Lernbruecke-Signature"].split(","))
    expected = hmac.new(
        secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def test_only_https_urls_are_accepted(jc, api_client):
    for url in ("http://example.org/hook", "ftp://example.org/x", "http://10.0.0.1/x"):
        r = api_client.post(HOOKS, {"url": url}, format="json", **auth(jc.key))
        assert r.status_code == 400 and "url" in r.json()["fields"], url
    r = api_client.post(
        HOOKS, {"url": "https://jc.example.org/hook"}, format="json", **auth(jc.key)
    )
    assert r.status_code == 201 and len(r.json()["secret"]) == 64
    listed = api_client.get(HOOKS, **auth(jc.key)).json()
    assert [h["url"] for h in listed] == ["https://jc.example.org/hook"]
    assert "secret" not in listed[0]


def test_signed_thin_notification_is_sent_after_commit(
    jc, hook, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            event = learner_event_record(learner=jc.ana, type="enrolled", data={"x": 1})
        assert receiver.requests == []  # not before the commit
    (headers, body) = receiver.requests[0]
    assert json.loads(body) == {"id": event.pk, "type": "enrolled"}
    assert verify_signature(hook["secret"], headers, body)
    assert not verify_signature("wrong", headers, body)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 1


def test_no_notification_for_other_jobcenters_or_unlinked_learners(
    jc, hook, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        learner_event_record(learner=jc.ben, type="enrolled")
        learner_event_record(learner=jc.cem, type="enrolled")
        learner_event_record(learner=jc.ana, type="offered")  # not in the contract
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_failed_delivery_is_retried_with_backoff_and_logged(
    jc, hook, receiver, api_client, django_capture_on_commit_callbacks
):
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        learner_event_record(learner=jc.ana, type="completed")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1
    assert delivery.last_status_code == 500
    first_wait = delivery.next_attempt_at - delivery.last_attempt_at
    assert first_wait == timedelta(seconds=30)
    # not due yet: nothing happens
    assert services.webhooks_retry_due(now=timezone.now()) == 0
    services.webhooks_retry_due(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at - delivery.last_attempt_at == timedelta(seconds=120)
    receiver.status = 204
    services.webhooks_retry_due(now=delivery.next_attempt_at + timedelta(seconds=1))
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 3
    assert len(receiver.requests) == 3
    log = api_client.get(HOOKS + "deliveries/", **auth(jc.key)).json()
    assert log[0]["status"] == "delivered" and log[0]["attempts"] == 3
    assert log[0]["event_type"] == "completed"
    assert api_client.get(HOOKS + "deliveries/", **auth(jc.other_key)).json() == []


def test_delivery_gives_up_after_max_attempts(
    jc, hook, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        learner_event_record(learner=jc.ana, type="completed")
    now = timezone.now()
    for _ in range(services.MAX_ATTEMPTS):
        now += timedelta(days=1)
        services.webhooks_retry_due(now=now)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == services.MAX_ATTEMPTS


def test_other_jobcenter_cannot_delete_the_webhook(jc, hook, api_client):
    url = f"{HOOKS}{hook['id']}/"
    assert api_client.delete(url, **auth(jc.other_key)).status_code == 404
    assert api_client.delete(url, **auth(jc.key)).status_code == 204
    assert not Webhook.objects.get(pk=hook["id"]).is_active


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1:5432/",
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://100.64.0.1/hook",
        "https://inside.example.net/hook",  # a name that resolves to ::1
    ],
)
def test_webhooks_to_internal_addresses_are_refused(jc, api_client, settings, monkeypatch, url):
    import ipaddress

    from core import net

    settings.WEBHOOK_LOCAL_TARGETS = False
    real = net.resolve
    monkeypatch.setattr(
        net,
        "resolve",
        lambda host, port: (
            [ipaddress.ip_address("::1")] if host == "inside.example.net" else real(host, port)
        ),
    )
    r = api_client.post(HOOKS, {"url": url}, format="json", **auth(jc.key))
    assert r.status_code == 400
    assert r.json()["fields"]["url"]
    assert Webhook.objects.count() == 0


def test_a_name_repointed_inside_after_registration_is_not_called(
    jc, api_client, settings, monkeypatch, receiver
):
    """Checked again at delivery, after resolution: the error is a category, not a port scan."""
    import ipaddress

    from core import net

    settings.WEBHOOK_LOCAL_TARGETS = False
    r = api_client.post(
        HOOKS, {"url": "https://hooks.example.org/x"}, format="json", **auth(jc.key)
    )
    assert r.status_code == 201
    monkeypatch.setattr(net, "resolve", lambda host, port: [ipaddress.ip_address("127.0.0.1")])
    delivery = attempt_one(jc)
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        1,
        None,
        "blocked_address",
    )
    assert receiver.requests == []


def test_a_refused_connection_is_recorded_as_a_category(jc, hook, receiver):
    receiver.close()
    delivery = attempt_one(jc)
    assert delivery.last_error == "refused"


def attempt_one(jc) -> WebhookDelivery:
    """One delivery of an enrolment event to the registered webhook, attempted now."""
    event = LearnerEvent.objects.create(learner=jc.ana, type=LearnerEvent.Type.ENROLLED, data={})
    delivery = WebhookDelivery.objects.create(
        webhook=Webhook.objects.get(), event=event, next_attempt_at=timezone.now()
    )
    services.webhook_attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    return delivery


def test_a_notice_to_the_jobcenter_is_announced_like_an_event(
    jc, hook, receiver, api_client, django_capture_on_commit_callbacks
):
    """A referral's step reaches the Jobcenter's feed as a notice; its webhook hears of it with
    the same thin, signed body (id and type), the data is read from the feed."""
    from jobcenter.services import feed_notice_record

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notice = feed_notice_record(
                jobcenter_id=jc.world.jobcenter.pk,
                type="referral_accepted",
                data={"referral_id": 7, "status": "accepted"},
            )
            # the other Jobcenter's notice reaches only the other Jobcenter (no webhook there)
            feed_notice_record(
                jobcenter_id=jc.world.other_jobcenter.pk, type="referral_sent", data={}
            )
        assert receiver.requests == []  # not before the commit
    assert len(receiver.requests) == 1
    (headers, body) = receiver.requests[0]
    assert json.loads(body) == {"id": notice.pk, "type": "referral_accepted"}
    assert verify_signature(hook["secret"], headers, body)
    delivery = WebhookDelivery.objects.get()
    assert delivery.notice_id == notice.pk and delivery.event_id is None
    assert delivery.status == "delivered" and delivery.attempts == 1
    listed = api_client.get(HOOKS + "deliveries/", **auth(jc.key)).json()
    assert [(d["event_id"], d["event_type"]) for d in listed] == [(notice.pk, "referral_accepted")]
    assert api_client.get(HOOKS + "deliveries/", **auth(jc.other_key)).json() == []
    # a second dispatch of the same notice creates no second delivery
    assert services.webhooks_dispatch_notice(notice_id=notice.pk) == []
