"""Signed check-in tokens, checked without a database round trip.

A *session token* is what the teacher's screen shows as a QR: it names the session and the time
slot (``time // ROTATE_SECONDS``) and carries an HMAC over both (``django.core.signing`` keyed by
``settings.SECRET_KEY``, own salt). It is valid in its own slot and for ``GRACE_SLOTS`` after it, so
a QR lives ``ROTATE_SECONDS`` to ``ROTATE_SECONDS * (1 + GRACE_SLOTS)`` seconds.

A learner who scans while logged out exchanges it, on the spot, for a *pending token* (same
session and slot, a timestamp and a nonce that is also set as a cookie in the scanning browser).
The pending token survives the login in ``next`` for ``PENDING_MAX_AGE`` seconds; the nonce ties it
to the browser that scanned, so a forwarded link does not work elsewhere.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.core import signing

ROTATE_SECONDS = 15
GRACE_SLOTS = 1
PENDING_MAX_AGE = 10 * 60
PENDING_COOKIE = "lb_checkin"

_SESSION_SALT = "attendance.checkin.session"
_PENDING_SALT = "attendance.checkin.pending"


class TokenError(Exception):
    """A token was refused; ``code`` is one of forged, expired, other_session."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def clock() -> float:
    """Seconds since the epoch (a function so tests can move time)."""
    return time.time()


def current_slot(now: float | None = None) -> int:
    return int((clock() if now is None else now) // ROTATE_SECONDS)


def slot_start(slot: int) -> float:
    return slot * ROTATE_SECONDS


def session_token(session_id: int, *, slot: int | None = None) -> str:
    slot = current_slot() if slot is None else slot
    return signing.Signer(salt=_SESSION_SALT).sign(f"{session_id}.{slot}")


def seconds_left(slot: int | None = None) -> int:
    """Seconds until the QR of ``slot`` should be replaced by the next one."""
    slot = current_slot() if slot is None else slot
    return max(1, int(slot_start(slot + 1) - clock()))


def _parse(value: str) -> tuple[int, int]:
    try:
        session_part, slot_part = value.split(".")
        return int(session_part), int(slot_part)
    except ValueError as exc:
        raise TokenError("forged") from exc


def verify_session_token(token: str, *, session_id: int, now: float | None = None) -> int:
    """The token's slot if it is genuine, for ``session_id`` and fresh; TokenError otherwise."""
    try:
        value = signing.Signer(salt=_SESSION_SALT).unsign(token or "")
    except signing.BadSignature as exc:
        raise TokenError("forged") from exc
    token_session, slot = _parse(value)
    if token_session != session_id:
        raise TokenError("other_session")
    now_slot = current_slot(now)
    if slot > now_slot + 1:  # a little clock skew between workers, never far in the future
        raise TokenError("forged")
    if slot < now_slot - GRACE_SLOTS:
        raise TokenError("expired")
    return slot


@dataclass(frozen=True)
class Pending:
    session_id: int
    scanned_at: float
    nonce: str


def pending_token(session_id: int, *, scanned_at: float | None = None) -> tuple[str, str]:
    """A pending token and its nonce (to be set as cookie) for a verified scan."""
    scanned_at = clock() if scanned_at is None else scanned_at
    nonce = secrets.token_urlsafe(12)
    value = f"{session_id}.{int(scanned_at)}.{nonce}"
    return signing.Signer(salt=_PENDING_SALT).sign(value), nonce


def verify_pending_token(
    token: str, *, session_id: int, nonce: str | None, now: float | None = None
) -> Pending:
    try:
        value = signing.Signer(salt=_PENDING_SALT).unsign(token or "")
        session_part, scanned_part, token_nonce = value.split(".", 2)
        token_session, scanned_at = int(session_part), int(scanned_part)
    except (signing.BadSignature, ValueError) as exc:
        raise TokenError("forged") from exc
    if token_session != session_id:
        raise TokenError("other_session")
    now = clock() if now is None else now
    if scanned_at > now + ROTATE_SECONDS:
        raise TokenError("forged")
    if now - scanned_at > PENDING_MAX_AGE:
        raise TokenError("expired")
    if not nonce or not secrets.compare_digest(nonce, token_nonce):
        raise TokenError("forged")
    return Pending(token_session, float(scanned_at), token_nonce)


#: The phone's own random id (a signed cookie set at the first QR check-in, kept two years): one
#: phone checking in several learners on a day is flagged for the teacher (``checkin_flag``).
DEVICE_COOKIE = "lb_device"
DEVICE_SALT = "attendance.device"
DEVICE_MAX_AGE = 2 * 366 * 24 * 3600


def device_of(request) -> tuple[str, bool]:
    """The phone's id and whether it is new (no valid cookie yet)."""
    import secrets

    device = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT)
    if device:
        return device[:32], False
    return secrets.token_urlsafe(16)[:22], True


def remember_device(response, request, device: str) -> None:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device,
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
