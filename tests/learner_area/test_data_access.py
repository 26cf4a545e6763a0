"""Who saw my data: every read from outside the provider, with organisation, date and purpose."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from jobcenter.models import AccessLogEntry, AccessLogRecord, Webhook, WebhookDelivery
from people.models import LearnerEvent
from tests.factories import JobcenterLinkFactory
from tests.jobcenter.helpers import api_key, auth


def test_api_lookup_portal_view_and_webhook_are_listed(me, client, api_client):
    jobcenter = me.world.jobcenter
    JobcenterLinkFactory(
        learner=me.learner, jobcenter=jobcenter, customer_number="123D000042", obliged=True
    )
    key = api_key(jobcenter)
    r = api_client.post(
        "/api/v1/jobcenter/verifications/",
        {
            "participants": [
                {
                    "customer_number": "123D000042",
                    "date_of_birth": me.learner.date_of_birth.isoformat(),
                }
            ]
        },
        format="json",
        **auth(key),
    )
    assert r.status_code == 200
    client.force_login(me.caseworker)
    client.post(
        reverse("jobcenter-portal"),
        {"customer_number": "123D000042", "date_of_birth": me.learner.date_of_birth.isoformat()},
    )
    event = LearnerEvent.objects.create(learner=me.learner, type=LearnerEvent.Type.ENROLLED)
    hook = Webhook.objects.create(jobcenter=jobcenter, url="https://jc.example/hook", secret="s")
    WebhookDelivery.objects.create(
        webhook=hook,
        event=event,
        status=WebhookDelivery.Status.DELIVERED,
        delivered_at=timezone.now(),
    )
    assert AccessLogRecord.objects.filter(learner=me.learner).count() == 2
    assert AccessLogEntry.objects.filter(channel="portal").exists()

    client.force_login(me.user)
    client.cookies["django_language"] = "en"
    r = client.get(reverse("learner-data-access"))
    html = r.content.decode()
    assert html.count(str(jobcenter)) == 3
    assert "checked whether you are registered" in html
    assert "looked you up in the caseworker portal" in html
    assert "was told that something changed" in html
    assert "the Jobcenter obliged you to take the course" in html

    client.force_login(me.other.user)
    html = client.get(reverse("learner-data-access")).content.decode()
    assert str(jobcenter) not in html and 'id="reads-none"' in html
