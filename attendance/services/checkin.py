"""Check-in by session QR and by learner card: idempotent, one record per learner and day."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import FilteredRelation, Q
from django.utils.translation import gettext as _

from attendance.models import (
    AttendanceRecord,
    CheckinFlag,
    Code,
    LearnerCard,
    Method,
)
from attendance.participants import ParticipantCheckin, participant_checkin
from attendance.rules import checkin_window, kommt_time, ue_attended_for
from attendance.selectors import (
    is_locked,
)
from attendance.services.base import AttendanceError, now
from attendance.signals import register_changed
from core.errors import ConflictError, PermissionDeniedError
from courses.models import Session
from enrolment.models import Enrolment
from enrolment.selectors import enrolments_on
from people.models import User
from people.rules import address_in_networks


def _one_statement_write() -> AbstractContextManager:
    """What a single-statement write needs to be atomic: inside a caller's transaction a
    savepoint (so a lost race leaves that transaction usable); in autocommit nothing, the
    statement is its own transaction (no BEGIN/COMMIT round trips on the check-in path)."""
    return transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()


#: ``_checkin`` reads the existing record itself unless the caller passes it.
_LOOK_UP: Any = object()


@dataclass(frozen=True)
class CheckinResult:
    record: AttendanceRecord
    created: bool


def _checkin(
    *,
    session: Session,
    enrolment: Enrolment,
    at: datetime,
    method: str,
    by: User | None,
    existing: AttendanceRecord | None = _LOOK_UP,
    flag: str = "",
    device: str = "",
) -> CheckinResult:
    """Shared end of both check-ins: idempotent, one record per learner and day.

    The reads happen outside a transaction and the write is a single statement (its own
    transaction in autocommit): on SQLite every transaction takes the database write lock, and a
    burst of check-ins must not queue behind reads. Duplicates are impossible all the same: the unique constraint on (session, enrolment)
    decides a race, and the loser returns the winner's record. ``existing`` is the learner's
    record of the day when the caller has already read it (None: there is none). A signed day
    refuses every check-in, new or repeated, and changes nothing.
    """
    if is_locked(session):
        # The signed register is what counts: a scan must not answer "already checked in"
        # for a learner the register has as absent, nor change anything.
        raise ConflictError(
            _("This course day is already signed; ask your teacher."), code="day_locked"
        )
    if existing is _LOOK_UP:
        existing = AttendanceRecord.objects.filter(session=session, enrolment=enrolment).first()
    if existing is not None:
        existing.session, existing.enrolment = session, enrolment  # already loaded
        if existing.code == Code.UNEXCUSED:
            # Marked absent by the teacher, then turned up late: now present, with the time.
            arrived = kommt_time(session, at)
            fields = {
                "code": Code.PRESENT,
                "arrived_at": arrived,
                "ue_attended": ue_attended_for(session, Code.PRESENT, arrived, None),
                "method": method,
                "checked_in_at": at,
                "recorded_by": by,
            }
            with _one_statement_write():
                changed = AttendanceRecord.objects.filter(
                    pk=existing.pk, code=Code.UNEXCUSED, session__signoff__isnull=True
                ).update(**fields)
            if changed:
                register_changed.send(sender=AttendanceRecord, session_id=session.pk)
                for name, value in fields.items():
                    setattr(existing, name, value)
                return CheckinResult(existing, True)
        return CheckinResult(existing, False)
    _refuse_overlap(session=session, enrolment=enrolment)
    arrived = kommt_time(session, at)
    record = AttendanceRecord(
        session=session,
        enrolment=enrolment,
        code=Code.PRESENT,
        ue_attended=ue_attended_for(session, Code.PRESENT, arrived, None),
        arrived_at=arrived,
        method=method,
        recorded_by=by,
        recorded_at=at,
        checked_in_at=at,
        flag=flag,
        device=device,
    )
    try:
        with _one_statement_write():
            record.save(force_insert=True)
    except IntegrityError:
        # Another request of the same learner won the race: theirs is the record.
        winner = AttendanceRecord.objects.get(session=session, enrolment=enrolment)
        winner.session, winner.enrolment = session, enrolment
        return CheckinResult(winner, False)
    return CheckinResult(record, True)


def _refuse_overlap(*, session: Session, enrolment: Enrolment) -> None:
    """A learner is in one room at a time: a check-in is refused when the learner is already
    checked in (present) to another session of that day whose time overlaps, naming it."""
    other = (
        AttendanceRecord.objects.filter(
            enrolment__learner_id=enrolment.learner_id,
            code=Code.PRESENT,
            session__date=session.date,
            session__start_time__lt=session.end_time,
            session__end_time__gt=session.start_time,
        )
        .exclude(session_id=session.pk)
        .select_related("session__course")
        .first()
    )
    if other is not None:
        raise ConflictError(
            _(
                "You are already checked in to another course at this time: "
                "%(course)s, %(start)s–%(end)s."
            )
            % {
                "course": other.session.course,
                "start": other.session.start_time.strftime("%H:%M"),
                "end": other.session.end_time.strftime("%H:%M"),
            },
            code="overlapping_session",
        )


def _check_window(session: Session, at: datetime) -> None:
    if session.status == Session.Status.CANCELLED:
        raise AttendanceError(_("This course day was cancelled."), code="session_cancelled")
    opens, closes = checkin_window(session)
    if not opens <= at <= closes:
        raise AttendanceError(
            _("Check-in is open from 30 minutes before the lesson until its end."),
            code="outside_window",
        )


def checkin_record(
    *,
    session_id: int,
    user: User,
    at: datetime | None = None,
    device: str = "",
    device_is_new: bool = False,
    address: str = "",
) -> CheckinResult | ParticipantCheckin:
    """Check the logged-in learner in to a session by session QR (the token is already verified).

    Refused outside the check-in window and for learners not enrolled in the course that day;
    a second scan changes nothing. Two reads whatever the course size (the session with what the
    confirmation page shows; the learner's enrolment that day joined with the day's record, if
    any), then the insert as a single statement (see ``_checkin``). A check-in that may come from
    a forwarded link is flagged for the teacher (``checkin_flag``). Someone not on the register
    may still be expected by another app (a volunteer on a shift): the registered participant
    handlers answer for them (``attendance.participants``), after the same window check.
    """
    at = at or now()
    session = _checkin_session(session_id=session_id)
    if session is None:
        raise AttendanceError(_("This check-in code is not valid."), code="forged")
    _check_window(session, at)
    enrolment = _checkin_enrolment(
        course_id=session.course_id, day=session.date, user_id=user.pk, session_id=session.pk
    )
    if enrolment is None:
        other = participant_checkin(session=session, user=user, at=at)
        if other is not None:
            return other
        raise PermissionDeniedError(_("You are not enrolled in this course."), code="not_enrolled")
    existing = getattr(enrolment, "day_record", None)  # not set when there is none
    flag = ""
    if existing is None:  # only a new check-in is judged; a repeated scan changes nothing
        flag = checkin_flag(
            session=session,
            learner_id=enrolment.learner_id,
            device="" if device_is_new else device,  # a new phone has checked in nobody
            address=address,
        )
    return _checkin(
        session=session,
        enrolment=enrolment,
        at=at,
        method=Method.SESSION_QR,
        by=None,
        existing=existing,
        flag=flag,
        device=device,
    )


def checkin_flag(*, session: Session, learner_id: int, device: str, address: str) -> str:
    """Why a QR check-in needs the teacher's confirmation, or "".

    The session QR is valid for anyone enrolled during its short lifetime, so a link sent by chat
    checks in a learner who is not in the room. Two signs make that visible without slowing an
    honest check-in: the phone (a long-lived signed cookie set at the first check-in) already
    checked in another learner that day, or — where the location lists its classroom networks —
    the request came from another address. Neither proves anything: a shared phone may be a
    family's, and a learner may use mobile data. The flag asks the teacher, who sees the room;
    a learner who clears cookies or forwards to a friend in the same Wi-Fi is not caught."""
    networks = session.course.location.classroom_networks
    if networks and not address_in_networks(address, networks):
        return CheckinFlag.OUTSIDE_NETWORK
    if (
        device
        and AttendanceRecord.objects.filter(session__date=session.date, device=device)
        .exclude(enrolment__learner_id=learner_id)
        .exists()
    ):
        return CheckinFlag.SHARED_DEVICE
    return ""


def _checkin_session(*, session_id: int) -> Session | None:
    """The session with what the check-in checks (its sign-off) and the answer page shows."""
    return (
        Session.objects.select_related("signoff", "course__course_type", "course__location")
        .filter(pk=session_id)
        .first()
    )


def _checkin_enrolment(
    *, course_id: int, day: date, user_id: int, session_id: int
) -> Enrolment | None:
    """The user's enrolment on the register of that day, with their record of it (if any)."""
    return (
        enrolments_on(course=course_id, day=day)
        .filter(learner__user_id=user_id)
        .annotate(
            day_record=FilteredRelation(
                "attendance", condition=Q(attendance__session_id=session_id)
            )
        )
        .select_related("day_record")  # type: ignore[misc]  # django-stubs knows no FilteredRelation
        .first()
    )


def card_checkin(
    *, session: Session, token: str, by: User, at: datetime | None = None
) -> CheckinResult:
    """Check a learner in by the QR on their card, scanned on the teacher's device.

    Revoked and unknown cards are refused, as are learners not enrolled in the course that day.
    """
    at = at or now()
    token = (token or "").strip()
    if token.upper().startswith("LBCARD:"):
        token = token[len("LBCARD:") :]
    card = LearnerCard.objects.filter(token=token).first() if token else None
    if card is None:
        raise AttendanceError(_("This card is not known."), code="card_unknown")
    if card.is_revoked:
        raise AttendanceError(
            _("This card has been revoked. Please use the new card."), code="card_revoked"
        )
    session = Session.objects.select_related("signoff").get(pk=session.pk)
    _check_window(session, at)
    enrolment = (
        enrolments_on(course=session.course_id, day=session.date)
        .filter(learner_id=card.learner_id)
        .select_related("learner")
        .first()
    )
    if enrolment is None:
        raise AttendanceError(
            _("This learner is not enrolled in this course."), code="not_enrolled"
        )
    return _checkin(session=session, enrolment=enrolment, at=at, method=Method.LEARNER_CARD, by=by)
