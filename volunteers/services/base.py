"""What the volunteers services share: the error type, the clock, and mail after commit."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError


class VolunteerError(DomainError):
    pass


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate()


def mail_after_commit(*, kind: str, user_ids: list[int], context: dict) -> None:
    """Send the ``kind`` mail to each user in their own language, after the change is committed.

    ``context`` holds plain values only (ids, dates as ISO strings, names): it travels to the
    background task.
    """
    if not user_ids:
        return
    from volunteers.tasks import send_volunteer_mail

    ids = sorted(set(user_ids))
    transaction.on_commit(
        lambda: send_volunteer_mail.enqueue(kind=kind, user_ids=ids, context=context)
    )
