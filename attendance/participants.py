"""Others than enrolled learners who check in with the same session QR (volunteers on a shift).

``attendance`` knows no higher app. An app whose people also come to a session registers a
handler from its ``AppConfig.ready()``; when the person who scanned is not on the session's
register, the check-in asks the handlers in order of registration. A handler that knows the
person records the check-in in its own tables and answers with a :class:`ParticipantCheckin`;
one that does not answers ``None``; one that knows the person but must refuse raises a
``DomainError`` whose message the person reads. The token, the check-in window and the answer
page stay the attendance app's, so there is one QR and one way of checking in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from courses.models import Session
from people.models import User


@dataclass(frozen=True)
class ParticipantCheckin:
    """A check-in another app recorded: its session, whether it is new, and what to say."""

    session: Session
    created: bool
    #: The id of the handler's own record (the API answers with it).
    record_id: int
    #: What the person reads, already in their language.
    detail: str


Handler = Callable[..., ParticipantCheckin | None]

_handlers: dict[str, Handler] = {}


def register(key: str, handler: Handler) -> None:
    """Add a handler, called as ``handler(session=, user=, at=)`` (the same key replaces it)."""
    _handlers[key] = handler


def participant_checkin(*, session: Session, user: User, at: datetime) -> ParticipantCheckin | None:
    """The first registered handler's answer for a person not on the register, or None."""
    for handler in _handlers.values():
        result = handler(session=session, user=user, at=at)
        if result is not None:
            return result
    return None
