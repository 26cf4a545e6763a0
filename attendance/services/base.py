"""The attendance services' error type and clock (the same clock as the check-in tokens, so
tests move both at once)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.utils import timezone

from attendance import tokens
from core.errors import DomainError
from core.validators import text_within


class AttendanceError(DomainError):
    pass


def now() -> datetime:
    """The current time, from the same clock as the tokens (tests move both at once)."""
    return datetime.fromtimestamp(tokens.clock(), tz=UTC)


def today() -> date:
    return timezone.localdate(now())


NOTE_LIMIT = 300


def note_checked(note: str | None) -> str:
    """A note as typed, or a refusal with a message at the field (never cut silently)."""
    text = (note or "").strip()
    too_long = text_within(text, limit=NOTE_LIMIT)
    if too_long:
        raise AttendanceError(too_long, code="too_long", field="note")
    return text
