"""Writes of the learner area: the private calendar feed's secret."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from learner_area.models import CalendarFeed
from people.models import Learner


@transaction.atomic
def calendar_feed_reset(*, learner: Learner) -> CalendarFeed:
    """Give the learner a new secret calendar URL; the previous one stops working at once.

    The first call creates the feed. The learner row is locked, so two taps make one secret.
    """
    Learner.objects.select_for_update(of=("self",)).filter(pk=learner.pk).first()
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.get_or_create(learner=learner, defaults={"token": token})
    if not created:
        feed.token = token
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def calendar_feed_stop(*, learner: Learner) -> None:
    """Switch the calendar URL off: it answers 404 from now on."""
    CalendarFeed.objects.filter(learner=learner).delete()
