"""Writes for the Jobcenter side: links and consents, API keys, feed sequence, access log, webhooks."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError, DomainError, PermissionDeniedError
from jobcenter.models import (
    AccessLogEntry,
    AccessLogRecord,
    ConsentScope,
    JobcenterAPIKey,
    JobcenterLink,
    Webhook,
    WebhookDelivery,
)
from jobcenter.selectors import EVENT_PART, FEED_TYPES, LearnerRecord
from people.models import Entitlement, Learner, LearnerEvent, Organisation, Role, User

# --- who may act for a Jobcenter ------------------------------------------------------------


def may_manage_jobcenter(user: User | None, jobcenter: Organisation) -> bool:
    """Superusers, and staff of a provider in the same network as the Jobcenter.

    A Jobcenter works with the providers of its county network (one cooperation agreement);
    staff of those providers set up its access. Commands run without a user (``None``).
    """
    if user is None or user.is_superuser:
        return True
    if not jobcenter.network_id:
        return False
    return Organisation.objects.filter(
        pk__in=user.provider_ids(role=Role.STAFF), network_id=jobcenter.network_id
    ).exists()


def _require_jobcenter(jobcenter: Organisation) -> None:
    if jobcenter.kind != Organisation.Kind.JOBCENTER:
        raise DomainError(_("This organisation is not a Jobcenter."), code="not_a_jobcenter")


# --- links and consent ----------------------------------------------------------------------


@transaction.atomic
def link_create(
    *,
    learner: Learner,
    jobcenter: Organisation,
    customer_number: str,
    basis: str,
    by: User | None,
    obligation: Entitlement | None = None,
    consent_given_on: date | None = None,
    consent_scope: str = "",
) -> JobcenterLink:
    """Record that ``jobcenter`` knows the learner under ``customer_number`` and why it may see data.

    Obligation: there must be an obligation of this learner issued by this Jobcenter (the
    reporting duty). Consent: the date and scope must be recorded. One open link per learner
    and Jobcenter; the learner row is locked so two clicks cannot create two.
    """
    _require_jobcenter(jobcenter)
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    if by is not None and learner.provider_id not in by.provider_ids(role=Role.STAFF):
        raise PermissionDeniedError(
            _("Only staff of the learner's provider may link them."), code="not_staff"
        )
    customer_number = (customer_number or "").strip()
    if not customer_number:
        raise DomainError(_("Enter the customer number."), code="required", field="customer_number")
    if basis == JobcenterLink.Basis.OBLIGATION:
        if (
            obligation is None
            or obligation.learner_id != learner.pk
            or obligation.kind != Entitlement.Kind.OBLIGATION
            or obligation.jobcenter_id != jobcenter.pk
        ):
            raise DomainError(
                _("A reporting duty needs an obligation of this learner by this Jobcenter."),
                code="no_obligation",
                field="obligation",
            )
        consent_given_on, consent_scope = None, ""
    elif basis == JobcenterLink.Basis.CONSENT:
        if consent_given_on is None:
            raise DomainError(
                _("Enter the date of the consent."), code="required", field="consent_given_on"
            )
        if consent_given_on > timezone.localdate():
            raise DomainError(
                _("The consent date cannot be in the future."),
                code="future_consent",
                field="consent_given_on",
            )
        if consent_scope not in ConsentScope.values:
            raise DomainError(
                _("Choose what the consent covers."), code="required", field="consent_scope"
            )
        obligation = None
    else:
        raise DomainError(_("Choose a legal basis."), code="invalid_basis", field="basis")
    if JobcenterLink.objects.filter(
        learner=learner, jobcenter=jobcenter, ended_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise ConflictError(
            _("The learner is already linked to this Jobcenter."), code="already_linked"
        )
    return JobcenterLink.objects.create(
        learner=learner,
        jobcenter=jobcenter,
        customer_number=customer_number,
        basis=basis,
        obligation=obligation,
        consent_given_on=consent_given_on,
        consent_scope=consent_scope,
        consent_recorded_by=by if basis == JobcenterLink.Basis.CONSENT else None,
        created_by=by,
    )


@transaction.atomic
def consent_revoke(*, link: JobcenterLink, by: User | None) -> JobcenterLink:
    """The learner withdraws consent: from this moment the Jobcenter sees nothing through it.

    Every read filters on ``revoked_at``, so the effect is immediate (no cache to expire).
    """
    link = JobcenterLink.objects.select_for_update().get(pk=link.pk)
    if by is not None and link.learner.provider_id not in by.provider_ids(role=Role.STAFF):
        raise PermissionDeniedError(
            _("Only staff of the learner's provider may change this."), code="not_staff"
        )
    if link.basis != JobcenterLink.Basis.CONSENT:
        raise DomainError(
            _("A reporting duty cannot be revoked; end the link instead."), code="not_consent"
        )
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = by
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


@transaction.atomic
def link_end(*, link: JobcenterLink, by: User | None) -> JobcenterLink:
    """End a link (the learner is no longer a client of that Jobcenter); effective at once."""
    link = JobcenterLink.objects.select_for_update().get(pk=link.pk)
    if by is not None and link.learner.provider_id not in by.provider_ids(role=Role.STAFF):
        raise PermissionDeniedError(
            _("Only staff of the learner's provider may change this."), code="not_staff"
        )
    if link.ended_at is None:
        link.ended_at = timezone.now()
        link.save(update_fields=["ended_at"])
    return link


# --- API keys -----------------------------------------------------------------------------------


@transaction.atomic
def api_key_create(
    *, jobcenter: Organisation, name: str, by: User | None
) -> tuple[JobcenterAPIKey, str]:
    """A new key for the Jobcenter. Returns the key object and the plain key, shown only once

    (only its hash is stored)."""
    _require_jobcenter(jobcenter)
    if not may_manage_jobcenter(by, jobcenter):
        raise PermissionDeniedError(
            _("You may not manage keys of this Jobcenter."), code="not_allowed"
        )
    name = (name or "").strip()[:50] or str(jobcenter)[:50]
    return JobcenterAPIKey.objects.create_key(jobcenter=jobcenter, name=name, created_by=by)


@transaction.atomic
def api_key_revoke(*, api_key: JobcenterAPIKey, by: User | None) -> JobcenterAPIKey:
    """Revoke a key; the next request with it gets 401 (keys are checked on every request)."""
    api_key = JobcenterAPIKey.objects.select_for_update().get(pk=api_key.pk)
    if not may_manage_jobcenter(by, api_key.jobcenter):
        raise PermissionDeniedError(
            _("You may not manage keys of this Jobcenter."), code="not_allowed"
        )
    if not api_key.revoked:
        api_key.revoked = True
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked", "revoked_at"])
    return api_key


# --- event feed ---------------------------------------------------------------------------------

FEED_LOCK_KEY = 0x4C42_4A43  # "LBJC": advisory lock of the one feed sequencer


@transaction.atomic
def feed_sequence() -> None:
    """Give every committed, not yet sequenced learner event its feed position.

    Event ids come from a sequence and may commit out of order (id 7 can become visible after
    id 8). The feed therefore pages by ``FeedEntry.position``, which only this function writes,
    one caller at a time (PostgreSQL advisory lock; SQLite serialises writers anyway). A new
    position is handed out only after the previous batch committed, so positions become visible
    in order, and an event that commits late simply gets a later position: nothing is lost or
    repeated for a client that keeps its cursor.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_KEY])
        cursor.execute(
            "INSERT INTO jobcenter_feedentry (event_id) "
            "SELECT e.id FROM people_learnerevent e "
            "WHERE NOT EXISTS (SELECT 1 FROM jobcenter_feedentry f WHERE f.event_id = e.id) "
            "ORDER BY e.id"
        )


# --- access log ---------------------------------------------------------------------------------


def access_log_write(
    *,
    channel: str,
    method: str,
    path: str,
    status_code: int,
    records: Iterable[LearnerRecord] = (),
    jobcenter_id: int | None = None,
    api_key_id: str | None = None,
    key_prefix: str = "",
    user: User | None = None,
) -> AccessLogEntry:
    """Log one request by a Jobcenter and each lookup/learner record it returned (DESIGN §3).

    The entry and its records are written together or not at all (one transaction).
    """
    records = list(records)
    entry = AccessLogEntry(
        channel=channel,
        jobcenter_id=jobcenter_id,
        api_key_id=api_key_id,
        key_prefix=key_prefix[:20],
        user=user if user is not None and user.is_authenticated else None,
        method=method[:10],
        path=path[:300],
        status_code=status_code,
        records=sum(1 for r in records if r.learner_id is not None),
    )
    with transaction.atomic():
        entry.save(force_insert=True)
        AccessLogRecord.objects.bulk_create(
            [
                AccessLogRecord(
                    entry=entry,
                    learner_id=record.learner_id,
                    customer_number=record.customer_number[:30],
                    fields=record.fields,
                )
                for record in records
            ],
            batch_size=1000,
        )
    return entry


# --- webhooks -----------------------------------------------------------------------------------

MAX_ATTEMPTS = 6
BACKOFF = [timedelta(seconds=s) for s in (30, 120, 600, 3600, 6 * 3600)]
SIGNATURE_HEADER = "X-Lernbruecke-Signature"


def _url_allowed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    local = parts.hostname in {"127.0.0.1", "localhost"}
    return parts.scheme == "http" and local and (settings.DEBUG or settings.TESTING)


@transaction.atomic
def webhook_register(*, jobcenter: Organisation, url: str) -> Webhook:
    """Register an HTTPS endpoint; plain http only to 127.0.0.1/localhost in DEBUG or tests."""
    _require_jobcenter(jobcenter)
    url = (url or "").strip()
    if not _url_allowed(url):
        raise DomainError(
            _("The URL must start with https://."), code="https_required", field="url"
        )
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
    links = JobcenterLink.objects.valid().filter(learner_id=event.learner_id)
    part = EVENT_PART.get(event.type, "enrolments")
    jobcenter_ids = [link.jobcenter_id for link in links if part in link.parts]
    created: list[int] = []
    for webhook in Webhook.objects.filter(jobcenter_id__in=jobcenter_ids, is_active=True):
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    webhook=webhook, event=event, next_attempt_at=timezone.now()
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
        WebhookDelivery.objects.select_related("webhook", "event").filter(pk=delivery_id).first()
    )
    if (
        delivery is None
        or delivery.status != WebhookDelivery.Status.PENDING
        or not delivery.webhook.is_active
        or (delivery.next_attempt_at and delivery.next_attempt_at > now)
    ):
        return delivery
    body = json.dumps(
        {"id": delivery.event_id, "type": delivery.event.type}, separators=(",", ":")
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
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            status_code = response.status
    except urllib.error.HTTPError as exc:
        status_code, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        error = str(getattr(exc, "reason", exc))[:300]
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
