"""The referral status machine, written once: every service moves a referral through ``move``.

Why a table: pages, API, signals from enrolment and the daily stall check must agree on which
step may follow which (issue 18: sent → accepted/declined → test booked → enrolled/waiting-listed
→ course started → closed).
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TEST_BOOKED = "test_booked"
    WAITING_LISTED = "waiting_listed"
    ENROLLED = "enrolled"
    COURSE_STARTED = "course_started"
    CLOSED = "closed"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.SENT: frozenset({Status.ACCEPTED, Status.DECLINED, Status.CLOSED}),
    Status.ACCEPTED: frozenset(
        {Status.TEST_BOOKED, Status.WAITING_LISTED, Status.ENROLLED, Status.CLOSED}
    ),
    Status.DECLINED: frozenset({Status.CLOSED}),
    Status.TEST_BOOKED: frozenset({Status.WAITING_LISTED, Status.ENROLLED, Status.CLOSED}),
    Status.WAITING_LISTED: frozenset({Status.ENROLLED, Status.CLOSED}),
    Status.ENROLLED: frozenset({Status.COURSE_STARTED, Status.CLOSED}),
    Status.COURSE_STARTED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


class TransitionError(ValueError):
    """A step the table does not allow (e.g. closed → enrolled)."""


def can_move(current: Status, target: Status) -> bool:
    """Whether ``target`` may follow ``current``."""
    return target in TRANSITIONS[current]


def move(current: Status, target: Status) -> Status:
    """The new status, or ``TransitionError`` when the table forbids the step."""
    if not can_move(current, target):
        raise TransitionError(f"{current} -> {target}")
    return target
