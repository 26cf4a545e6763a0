"""The attendance services' error type and clock (the same clock as the check-in tokens, so
tests move both at once)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.utils import timezone

from attendance import tokens
from core.errors import DomainError


class AttendanceError(DomainError):
    pass


def now() -> datetime:
    """The current time, from the same clock as the tokens (tests move both at once)."""
    return datetime.fromtimestamp(tokens.clock(), tz=UTC)


def today() -> date:
    return timezone.localdate(now())
