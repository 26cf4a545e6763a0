"""Background work of the Jobcenter side: webhook notifications (after commit, with retries)."""

from __future__ import annotations

from django.db import transaction
from django.tasks import default_task_backend, task

from jobcenter.models import Webhook, WebhookDelivery


@task()
def webhook_dispatch(event_id: int) -> list[int]:
    """Create the deliveries for a committed learner event and send them."""
    from jobcenter.services import webhooks_dispatch_event

    created = webhooks_dispatch_event(event_id=event_id)
    for delivery_id in created:
        webhook_deliver.enqueue(delivery_id=delivery_id)
    return created


@task()
def webhook_dispatch_notice(notice_id: int) -> list[int]:
    """Create the deliveries for a committed feed notice (a referral's step) and send them."""
    from jobcenter.services import webhooks_dispatch_notice

    created = webhooks_dispatch_notice(notice_id=notice_id)
    for delivery_id in created:
        webhook_deliver.enqueue(delivery_id=delivery_id)
    return created


@task()
def webhook_deliver(delivery_id: int) -> str | None:
    from jobcenter.services import webhook_attempt

    delivery = webhook_attempt(delivery_id=delivery_id)
    return delivery.status if delivery else None


@task()
def webhooks_retry_due() -> int:
    """Periodic sweep for due retries (needed where the task backend cannot defer)."""
    from jobcenter.services import webhooks_retry_due as retry

    return retry()


def schedule_retry(delivery: WebhookDelivery) -> None:
    """Queue the next attempt at ``next_attempt_at`` when the backend can defer tasks; otherwise
    the periodic ``webhooks_retry_due`` sweep (or ``manage.py jobcenter_webhooks retry``) sends it."""
    if default_task_backend.supports_defer and delivery.next_attempt_at:
        webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery_id=delivery.pk)


def on_learner_event_saved(sender, instance, created, **kwargs) -> None:
    """After the event's transaction commits, announce it if any linked Jobcenter has a webhook."""
    if not created:
        return
    event_id, learner_id = instance.pk, instance.learner_id
    if instance.type == "link_ended":  # addressed to one Jobcenter; the link itself is gone
        webhooks = Webhook.objects.filter(
            is_active=True, jobcenter_id=(instance.data or {}).get("jobcenter_id")
        )
    else:
        webhooks = Webhook.objects.filter(
            is_active=True, jobcenter__client_links__learner_id=learner_id
        )

    def announce() -> None:
        if webhooks.exists():
            webhook_dispatch.enqueue(event_id=event_id)

    transaction.on_commit(announce)


def on_feed_notice_saved(sender, instance, created, **kwargs) -> None:
    """After the notice's transaction commits, announce it if its Jobcenter has a webhook."""
    if not created:
        return
    notice_id = instance.pk
    webhooks = Webhook.objects.filter(is_active=True, jobcenter_id=instance.jobcenter_id)

    def announce() -> None:
        if webhooks.exists():
            webhook_dispatch_notice.enqueue(notice_id=notice_id)

    transaction.on_commit(announce)
