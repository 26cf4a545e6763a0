"""The event feed's sequence: one sequencer numbers the outbox events a Jobcenter may read."""

from __future__ import annotations

from django.db import connection, transaction

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
