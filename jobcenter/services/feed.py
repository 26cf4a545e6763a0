"""The event feed's sequence: one sequencer numbers the outbox events a Jobcenter may read;
notices to one Jobcenter (its referrals' steps) join the same sequence."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from jobcenter.models import FeedNotice

FEED_LOCK_KEY = 0x4C42_4A43  # "LBJC": advisory lock of the one feed sequencer


@transaction.atomic
def feed_sequence() -> None:
    """Give every committed, not yet sequenced learner event its feed position.

    Event ids come from a sequence and may commit out of order (id 7 can become visible after
    id 8). The feed therefore pages by ``FeedEntry.position``, which only this function writes,
    one caller at a time (PostgreSQL advisory lock; SQLite serialises writers anyway). A new
    position is handed out only after the previous batch committed, so positions become visible
    in order, and an event that commits late simply gets a later position: nothing is lost or
    repeated for a client that keeps its cursor. Notices are sequenced the same way.
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
        cursor.execute(
            "INSERT INTO jobcenter_feedentry (notice_id) "
            "SELECT n.id FROM jobcenter_feednotice n "
            "WHERE NOT EXISTS (SELECT 1 FROM jobcenter_feedentry f WHERE f.notice_id = n.id) "
            "ORDER BY n.id"
        )


def feed_notice_record(
    *, jobcenter_id: int, type: str, data: dict[str, Any], occurred_at: datetime | None = None
) -> FeedNotice:
    """Append a notice for one Jobcenter's feed, inside the caller's transaction (it exists
    exactly when the change does). The caller passes only what that Jobcenter may see."""
    return FeedNotice.objects.create(
        jobcenter_id=jobcenter_id,
        type=type,
        data=data,
        occurred_at=occurred_at or timezone.now(),
    )
