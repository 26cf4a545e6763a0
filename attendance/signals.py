"""Signals of the register for writes that bypass ``save()`` (bulk imports, one-statement
updates): apps that keep something derived from the register (billing's stored figures) listen,
as they listen to the records' ``post_save``."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent with ``session_id`` after records of that course day were written in bulk.
register_changed = Signal()
