"""Pure rules of the register, no database: the check-in window, Kommt/Geht times beyond the
tolerance, and the UE a learner attended on a day. Easy to test on their own."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from attendance.models import (
    Code,
)
from courses.models import Session

#: Check-in opens this long before the session starts (and closes at its end).
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
#: Arrival or leaving further off the timetable than this is recorded with the time (Kommt/Geht).
KOMMT_GEHT_TOLERANCE = timedelta(minutes=15)
#: A medical certificate is requested from this consecutive course day of illness on.
CERTIFICATE_FROM_DAY = 4


def _local(session: Session, t: time) -> datetime:
    return timezone.make_aware(datetime.combine(session.date, t))


def checkin_window(session: Session) -> tuple[datetime, datetime]:
    """From ``CHECKIN_OPENS_BEFORE`` before the start to the end of the session."""
    return _local(session, session.start_time) - CHECKIN_OPENS_BEFORE, _local(
        session, session.end_time
    )


def _minutes(a: time, b: time) -> int:
    return int(
        (datetime.combine(date.min, b) - datetime.combine(date.min, a)).total_seconds() // 60
    )


def ue_attended_for(
    session: Session, code: str, arrived_at: time | None, left_at: time | None
) -> Decimal:
    """UE attended: all of the day's UE when present (or on internship), less the share missed
    by arriving late or leaving early beyond the 15-minute tolerance; nothing when absent."""
    if code == Code.INTERNSHIP:
        return Decimal(session.ue)
    if code != Code.PRESENT:
        return Decimal(0)
    start, end = session.start_time, session.end_time
    tolerance = int(KOMMT_GEHT_TOLERANCE.total_seconds() // 60)
    begin = arrived_at if arrived_at and _minutes(start, arrived_at) > tolerance else start
    finish = left_at if left_at and _minutes(left_at, end) > tolerance else end
    total = _minutes(start, end)
    if total <= 0:
        return Decimal(session.ue)
    attended = max(0, min(total, _minutes(begin, finish)))
    share = Decimal(session.ue) * Decimal(attended) / Decimal(total)
    return share.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def kommt_time(session: Session, at: datetime) -> time | None:
    """The arrival time if it is more than the tolerance after the start, else None."""
    local = timezone.localtime(at)
    if local - _local(session, session.start_time) > KOMMT_GEHT_TOLERANCE:
        return local.time().replace(second=0, microsecond=0)
    return None
