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


def times_problem(
    session: Session, arrived_at: time | None, left_at: time | None
) -> tuple[str, str] | None:
    """Why Kommt/Geht cannot be true for this day, as ``(field, message)``, or None.

    A time lies in the course day (from when check-in opens to the end of the lesson), and
    Geht comes after Kommt: a signed register must not hold times that cannot have happened.
    """
    from django.utils.translation import gettext as _

    earliest = (datetime.combine(session.date, session.start_time) - CHECKIN_OPENS_BEFORE).time()
    latest = session.end_time
    for field, value in (("arrived_at", arrived_at), ("left_at", left_at)):
        if value is not None and not earliest <= value <= latest:
            return field, _("The time must lie within the course day (%(start)s–%(end)s).") % {
                "start": earliest.strftime("%H:%M"),
                "end": latest.strftime("%H:%M"),
            }
    if arrived_at is not None and left_at is not None and left_at <= arrived_at:
        return "left_at", _("Geht must be after Kommt.")
    return None


def session_has_begun(session: Session, at: datetime) -> bool:
    """A day can be recorded once its lesson has begun (absences announced ahead excepted)."""
    return at >= _local(session, session.start_time)
