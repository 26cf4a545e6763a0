"""Signed webhooks: deliveries of feed events to a Jobcenter's URL, retried with back-off."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError, DomainError
from core.net import TargetProblem, failure_category, opener, target_problem
from jobcenter.models import (
    FeedNotice,
    JobcenterLink,
    Webhook,
    WebhookDelivery,
)
from jobcenter.selectors import EVENT_PART, FEED_TYPES
from jobcenter.services.links import require_jobcenter
from people.models import LearnerEvent, Organisation

MAX_ATTEMPTS = 6
BACKOFF = [timedelta(seconds=s) for s in (30, 120, 600, 3600, 6 * 3600)]
SIGNATURE_HEADER = "X-Lernbruecke-Signature"


def _target_problem(url: str) -> TargetProblem | None:
    return target_problem(url, allow_local_http=settings.WEBHOOK_LOCAL_TARGETS)


@transaction.atomic
def webhook_register(*, jobcenter: Organisation, url: str) -> Webhook:
    """Register an HTTPS endpoint on a public address (``core.net``: no loopback, private or
    link-local targets, which would let a client probe the server's own network)."""
    require_jobcenter(jobcenter)
    url = (url or "").strip()
    problem = _target_problem(url)
    if problem is not None:
        messages = {
            "https_required": _("The URL must start with https://."),
            "unresolvable": _("The host name of this URL cannot be resolved."),
            "blocked_address": _("The URL must point to a public internet address."),
        }
        raise DomainError(messages[problem.code], code=problem.code, field="url")
    if Webhook.objects.filter(jobcenter=jobcenter, url=url, is_active=True).exists():
        raise ConflictError(_("This URL is already registered."), code="duplicate", field="url")
    return Webhook.objects.create(jobcenter=jobcenter, url=url, secret=secrets.token_hex(32))


@transaction.atomic
def webhook_deactivate(*, webhook: Webhook) -> Webhook:
    """Stop notifications to the URL; pending deliveries are not attempted any more."""
    webhook.is_active = False
    webhook.save(update_fields=["is_active"])
    return webhook


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>." + body>`` (the time stops replays)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def webhooks_dispatch_event(*, event_id: int) -> list[int]:
    """Create one delivery per active webhook of each Jobcenter validly linked to the learner.

    Only event types of the feed and only within the link's consent scope are announced; the
    notification is thin (event id and type), the data itself is read from the feed.
    """
    event = LearnerEvent.objects.filter(pk=event_id).first()
    if event is None or event.type not in FEED_TYPES:
        return []
    if event.type == LearnerEvent.Type.LINK_ENDED:
        jobcenter_ids = [event.data.get("jobcenter_id")]  # the link itself is gone
    else:
        links = JobcenterLink.objects.valid().filter(learner_id=event.learner_id)
        part = EVENT_PART.get(event.type, "enrolments")
        jobcenter_ids = [link.jobcenter_id for link in links if part in link.parts]
    return _deliveries(jobcenter_ids, event=event)


def webhooks_dispatch_notice(*, notice_id: int) -> list[int]:
    """Create one delivery per active webhook of the Jobcenter the notice is addressed to (its
    own referral's step), as thin as an event's: the notice id and type, read from the feed."""
    notice = FeedNotice.objects.filter(pk=notice_id).first()
    if notice is None:
        return []
    return _deliveries([notice.jobcenter_id], notice=notice)


def _deliveries(jobcenter_ids: list, **subject: LearnerEvent | FeedNotice) -> list[int]:
    created: list[int] = []
    for webhook in Webhook.objects.filter(jobcenter_id__in=jobcenter_ids, is_active=True):
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    webhook=webhook, next_attempt_at=timezone.now(), **subject
                )
        except IntegrityError:
            continue
        created.append(delivery.pk)
    return created


def webhook_attempt(*, delivery_id: int, now: datetime | None = None) -> WebhookDelivery | None:
    """Send one delivery if it is due; on failure schedule the next try with backoff.

    The HTTP call happens outside any transaction. After ``MAX_ATTEMPTS`` the delivery is
    marked failed. Receivers should treat the event id as idempotency key.
    """
    now = now or timezone.now()
    delivery = (
        WebhookDelivery.objects.select_related("webhook", "event", "notice")
        .filter(pk=delivery_id)
        .first()
    )
    if (
        delivery is None
        or delivery.status != WebhookDelivery.Status.PENDING
        or not delivery.webhook.is_active
        or (delivery.next_attempt_at and delivery.next_attempt_at > now)
    ):
        return delivery
    body = json.dumps(
        {"id": delivery.subject_id, "type": delivery.subject_type}, separators=(",", ":")
    ).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(
        delivery.webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Lernbruecke-Webhook/1",
            "X-Lernbruecke-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: sign(delivery.webhook.secret, timestamp, body),
        },
    )
    status_code, error = None, ""
    problem = _target_problem(delivery.webhook.url)  # again: the name may have been re-pointed
    if problem is not None:
        error = problem.code
    else:
        try:
            with opener().open(request, timeout=5) as response:
                status_code = response.status
        except urllib.error.HTTPError as exc:
            status_code, error = exc.code, failure_category(exc)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            error = failure_category(exc)
    return _attempt_record(delivery_id=delivery.pk, status_code=status_code, error=error, now=now)


@transaction.atomic
def _attempt_record(
    *, delivery_id: int, status_code: int | None, error: str, now: datetime
) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = status_code
    delivery.last_error = error
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + BACKOFF[min(delivery.attempts, len(BACKOFF)) - 1]
        from jobcenter.tasks import schedule_retry

        transaction.on_commit(lambda: schedule_retry(delivery))
    delivery.save()
    return delivery


def webhooks_retry_due(*, now: datetime | None = None) -> int:
    """Attempt every pending delivery whose next attempt is due (run by a periodic job)."""
    now = now or timezone.now()
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        ).values_list("pk", flat=True)
    )
    for pk in due:
        webhook_attempt(delivery_id=pk, now=now)
    return len(due)
