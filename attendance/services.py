"""Writes to the attendance register: check-ins, the teacher's marks and sign-off, corrections,
cards, evidence, internship days and alerts. Pages, API, admin and tasks all call these."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance import tokens
from attendance.models import (
    AbsenceEvidence,
    AbsenceReason,
    Alert,
    AlertRule,
    AttendanceCorrection,
    AttendanceRecord,
    Code,
    LearnerCard,
    Method,
    SessionSignOff,
)
from attendance.selectors import (
    attendance_figures,
    counted_records,
    enrolments_on,
    illness_streak,
    is_locked,
)
from core.errors import ConflictError, DomainError, PermissionDeniedError
from courses.models import Course, Session
from enrolment.models import Enrolment
from people.models import Entitlement, Learner, LearnerEvent, Role, User
from people.services import learner_event_record

#: Check-in opens this long before the session starts (and closes at its end).
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
#: Arrival or leaving further off the timetable than this is recorded with the time (Kommt/Geht).
KOMMT_GEHT_TOLERANCE = timedelta(minutes=15)
#: A medical certificate is requested from this consecutive course day of illness on.
CERTIFICATE_FROM_DAY = 4


class AttendanceError(DomainError):
    pass


def now() -> datetime:
    """The current time, from the same clock as the tokens (tests move both at once)."""
    return datetime.fromtimestamp(tokens.clock(), tz=UTC)


def today() -> date:
    return timezone.localdate(now())


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


def _kommt(session: Session, at: datetime) -> time | None:
    """The arrival time if it is more than the tolerance after the start, else None."""
    local = timezone.localtime(at)
    if local - _local(session, session.start_time) > KOMMT_GEHT_TOLERANCE:
        return local.time().replace(second=0, microsecond=0)
    return None


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
    existing: AttendanceRecord | object | None = _LOOK_UP,
) -> CheckinResult:
    """Shared end of both check-ins: idempotent, one record per learner and day.

    The reads happen outside a transaction and the write is a single statement (its own
    transaction in autocommit): on SQLite every transaction takes the database write lock, and a
    burst of check-ins must not queue behind reads. Duplicates are impossible all the same: the unique constraint on (session, enrolment)
    decides a race, and the loser returns the winner's record. ``existing`` is the learner's
    record of the day when the caller has already read it (None: there is none).
    """
    if existing is _LOOK_UP:
        existing = AttendanceRecord.objects.filter(session=session, enrolment=enrolment).first()
    if existing is not None:
        existing.session, existing.enrolment = session, enrolment  # already loaded
        if existing.code == Code.UNEXCUSED and not is_locked(session):
            # Marked absent by the teacher, then turned up late: now present, with the time.
            arrived = _kommt(session, at)
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
                for name, value in fields.items():
                    setattr(existing, name, value)
                return CheckinResult(existing, True)
        return CheckinResult(existing, False)
    if is_locked(session):
        raise ConflictError(
            _("This course day is already signed; ask your teacher."), code="day_locked"
        )
    arrived = _kommt(session, at)
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


def _check_window(session: Session, at: datetime) -> None:
    if session.status == Session.Status.CANCELLED:
        raise AttendanceError(_("This course day was cancelled."), code="session_cancelled")
    opens, closes = checkin_window(session)
    if not opens <= at <= closes:
        raise AttendanceError(
            _("Check-in is open from 30 minutes before the lesson until its end."),
            code="outside_window",
        )


def checkin_record(*, session_id: int, user: User, at: datetime | None = None) -> CheckinResult:
    """Check the logged-in learner in to a session by session QR (the token is already verified).

    Refused outside the check-in window and for learners not enrolled in the course that day;
    a second scan changes nothing. Two reads whatever the course size (the session with what the
    confirmation page shows; the learner's enrolment that day joined with the day's record, if
    any), then the insert as a single statement (see ``_checkin``).
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
        raise PermissionDeniedError(_("You are not enrolled in this course."), code="not_enrolled")
    return _checkin(
        session=session,
        enrolment=enrolment,
        at=at,
        method=Method.SESSION_QR,
        by=None,
        existing=getattr(enrolment, "day_record", None),  # not set when there is none
    )


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
        .select_related("day_record")
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


def _is_staff_of(user: User, course: Course) -> bool:
    return course.provider_id in user.provider_ids(role=Role.STAFF)


def _snapshot(record: AttendanceRecord) -> dict[str, Any]:
    return {
        "code": record.code,
        "ue_attended": str(record.ue_attended),
        "arrived_at": record.arrived_at.strftime("%H:%M") if record.arrived_at else None,
        "left_at": record.left_at.strftime("%H:%M") if record.left_at else None,
        "absence_reason": record.absence_reason.code if record.absence_reason_id else None,
        "note": record.note,
    }


_UNSET: Any = object()


@transaction.atomic
def record_set(
    *,
    session: Session,
    enrolment: Enrolment,
    by: User,
    code: str | None = None,
    absence_reason: AbsenceReason | None = _UNSET,
    arrived_at: time | None = _UNSET,
    left_at: time | None = _UNSET,
    note: str | None = None,
    reason: str = "",
    method: str = Method.TEACHER,
) -> AttendanceRecord:
    """Set a learner's entry for a day (the teacher's tap, or a staff correction).

    Only X, E, U, W, P can be stored. Before sign-off the teacher changes freely; once the day is
    signed only the provider's staff may correct, with a reason, and every correction keeps who,
    when, old and new value and why. From the fourth course day of illness in a row a medical
    certificate is requested.
    """
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("signoff", "course")
        .get(pk=session.pk)
    )
    if enrolment.course_id != session.course_id:
        raise AttendanceError(_("The learner is not in this course."), code="not_enrolled")
    if (
        not enrolments_on(course=session.course_id, day=session.date)
        .filter(pk=enrolment.pk)
        .exists()
    ):
        raise AttendanceError(_("The learner was not enrolled on this day."), code="not_enrolled")
    locked = is_locked(session)
    if locked:
        if not _is_staff_of(by, session.course):
            raise ConflictError(
                _("This day is signed and locked; only the office can correct it."),
                code="day_locked",
            )
        if not reason.strip():
            raise AttendanceError(
                _("Give a reason for the correction."), code="reason_required", field="reason"
            )
        method = Method.STAFF
    if absence_reason is not _UNSET and absence_reason is not None and code is None:
        code = absence_reason.default_code
    record = (
        AttendanceRecord.objects.select_for_update(of=("self",))
        .select_related("absence_reason")
        .filter(session=session, enrolment=enrolment)
        .first()
    )
    if record is None:
        if code is None:
            raise AttendanceError(_("Choose a code."), code="code_required", field="code")
        record = AttendanceRecord(session=session, enrolment=enrolment, code=code)
        old = None
    else:
        old = _snapshot(record)
    if code is not None:
        if code not in Code.values:
            raise AttendanceError(_("Unknown attendance code."), code="invalid_code", field="code")
        record.code = code
    if arrived_at is not _UNSET:
        record.arrived_at = arrived_at
    if left_at is not _UNSET:
        record.left_at = left_at
    if absence_reason is not _UNSET:
        record.absence_reason = absence_reason
    if note is not None:
        record.note = note[:300]
    if record.code != Code.PRESENT:
        record.arrived_at = record.left_at = None
    if record.code == Code.PRESENT:
        record.absence_reason = None
    record.ue_attended = ue_attended_for(session, record.code, record.arrived_at, record.left_at)
    record.certificate_requested = bool(
        record.absence_reason_id
        and record.absence_reason.is_illness
        and illness_streak(enrolment_id=enrolment.pk, session=session) >= CERTIFICATE_FROM_DAY
    )
    record.method = method
    record.recorded_by = by
    record.recorded_at = timezone.now()
    record.save()
    if locked:
        AttendanceCorrection.objects.create(
            record=record,
            changed_by=by,
            old=old or {},
            new=_snapshot(record),
            reason=reason.strip(),
        )
        evaluate_alerts(course=session.course, on=session.date)
    return record


@transaction.atomic
def register_import(*, session: Session, codes: dict[int, str], by: User | None = None) -> int:
    """Enter codes for a day from an import (``{enrolment_id: code}``); returns how many.

    Same rules as the register: only X, E, U, W, P; only learners enrolled that day; a signed day
    is refused; existing entries are left as they are (an import never overwrites a teacher).
    """
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("signoff").get(pk=session.pk)
    )
    if is_locked(session):
        raise ConflictError(_("This day is already signed."), code="day_locked")
    bad = {c for c in codes.values() if c not in Code.values}
    if bad:
        raise AttendanceError(_("Unknown attendance code."), code="invalid_code", field="code")
    enrolled = set(
        enrolments_on(course=session.course_id, day=session.date).values_list("pk", flat=True)
    )
    have = set(
        AttendanceRecord.objects.filter(session=session).values_list("enrolment_id", flat=True)
    )
    new = [
        AttendanceRecord(
            session=session,
            enrolment_id=enrolment_id,
            code=code,
            ue_attended=ue_attended_for(session, code, None, None),
            method=Method.IMPORT,
            recorded_by=by,
        )
        for enrolment_id, code in codes.items()
        if enrolment_id in enrolled and enrolment_id not in have
    ]
    AttendanceRecord.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def day_sign(*, session: Session, by: User) -> SessionSignOff:
    """The teacher signs and locks the day.

    Learners without an entry are recorded as unexcused (U); self check-ins count from now on.
    A future day cannot be signed, nor a day twice. Alert rules are evaluated for the course.
    """
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    )
    if session.status == Session.Status.CANCELLED:
        raise AttendanceError(_("This course day was cancelled."), code="session_cancelled")
    if session.date > today():
        raise AttendanceError(_("A future day cannot be signed."), code="future_day")
    if SessionSignOff.objects.filter(session=session).exists():
        raise ConflictError(_("This day is already signed."), code="already_signed")
    enrolments = list(enrolments_on(course=session.course_id, day=session.date))
    have = set(
        AttendanceRecord.objects.filter(session=session).values_list("enrolment_id", flat=True)
    )
    AttendanceRecord.objects.bulk_create(
        AttendanceRecord(
            session=session,
            enrolment=e,
            code=Code.UNEXCUSED,
            ue_attended=0,
            method=Method.TEACHER,
            recorded_by=by,
        )
        for e in enrolments
        if e.pk not in have
    )
    signoff = SessionSignOff.objects.create(session=session, signed_by=by)
    evaluate_alerts(course=session.course, on=session.date)
    return signoff


@transaction.atomic
def evidence_add(
    *,
    record: AttendanceRecord,
    file,
    by: User,
    is_medical_certificate: bool = False,
    note: str = "",
) -> AbsenceEvidence:
    """Keep a document backing an absence (staff only; health data never leaves the provider)."""
    if not _is_staff_of(by, record.session.course):
        raise PermissionDeniedError(_("Only the office can add evidence."), code="staff_only")
    if record.code == Code.PRESENT:
        raise AttendanceError(_("The learner was present that day."), code="not_absent")
    return AbsenceEvidence.objects.create(
        record=record,
        file=file,
        is_medical_certificate=is_medical_certificate,
        note=note[:300],
        uploaded_by=by,
    )


@transaction.atomic
def card_issue(*, learner: Learner, by: User | None = None) -> LearnerCard:
    """Issue a new card; the learner's previous card is revoked (one valid card per learner)."""
    Learner.objects.select_for_update(of=("self",)).filter(pk=learner.pk).first()
    LearnerCard.objects.active().filter(learner=learner).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    return LearnerCard.objects.create(
        learner=learner, token=secrets.token_urlsafe(18), issued_by=by
    )


@transaction.atomic
def card_revoke(*, card: LearnerCard, by: User | None = None) -> LearnerCard:
    """Revoke a card (lost, stolen): from now on it is refused."""
    card = LearnerCard.objects.select_for_update(of=("self",)).get(pk=card.pk)
    if card.revoked_at is None:
        card.revoked_at = timezone.now()
        card.revoked_by = by
        card.save(update_fields=["revoked_at", "revoked_by"])
    return card


@transaction.atomic
def cards_ensure(*, learners: Iterable[Learner], by: User | None = None) -> list[LearnerCard]:
    """Every learner's valid card, issuing one where a learner has none (for a batch print)."""
    learners = list(learners)
    cards = {c.learner_id: c for c in LearnerCard.objects.active().filter(learner__in=learners)}
    out = []
    for learner in learners:
        card = cards.get(learner.pk) or card_issue(learner=learner, by=by)
        card.learner = learner
        out.append(card)
    return out


@transaction.atomic
def register_internship_days(
    *,
    learner: Learner,
    start: date,
    end: date,
    weekdays: Iterable[int] | None = None,
    by: User | None = None,
) -> int:
    """Enter code P for the learner's course days inside an internship; returns how many.

    Only days of courses the learner is enrolled in on that day; signed (locked) days are left
    alone and a recorded presence (X) is never overwritten.
    """
    weekdays = set(weekdays) if weekdays is not None else None
    enrolments = list(
        Enrolment.objects.filter(learner=learner).filter(
            Q(status=Enrolment.Status.ENROLLED) | Q(ended_on__gte=start)
        )
    )
    written = 0
    for enrolment in enrolments:
        sessions = (
            Session.objects.held()
            .select_for_update(of=("self",))
            .filter(course_id=enrolment.course_id, date__gte=start, date__lte=end)
            .filter(signoff__isnull=True)
        )
        if enrolment.start_date:
            sessions = sessions.filter(date__gte=enrolment.start_date)
        if enrolment.ended_on:
            sessions = sessions.filter(date__lte=enrolment.ended_on)
        sessions = [s for s in sessions if weekdays is None or s.date.weekday() in weekdays]
        if not sessions:
            continue
        records = {
            r.session_id: r
            for r in AttendanceRecord.objects.filter(enrolment=enrolment, session__in=sessions)
        }
        for session in sessions:
            record = records.get(session.pk)
            if record is not None and record.code in (Code.PRESENT, Code.INTERNSHIP):
                continue
            if record is None:
                record = AttendanceRecord(session=session, enrolment=enrolment)
            record.code = Code.INTERNSHIP
            record.ue_attended = Decimal(session.ue)
            record.arrived_at = record.left_at = None
            record.method = Method.INTERNSHIP
            record.recorded_by = by
            record.recorded_at = timezone.now()
            record.save()
            written += 1
    return written


# --- alerts -------------------------------------------------------------------------------------


def _obligations_on(learner: Learner, day: date) -> list[Entitlement]:
    return [
        e
        for e in learner.entitlements.all()
        if e.kind == Entitlement.Kind.OBLIGATION and e.is_valid_on(day)
    ]


def _raise_alert(
    *, rule: AlertRule, enrolment: Enrolment, key: str, dates: list[date], rate, on: date
) -> Alert | None:
    iso = [d.isoformat() for d in dates]
    alert, created = Alert.objects.get_or_create(
        rule=rule,
        enrolment=enrolment,
        incident_key=key,
        defaults={"dates": iso, "rate": rate},
    )
    if not created:
        if alert.dates != iso and alert.resolved_at is None:
            alert.dates = iso
            alert.save(update_fields=["dates"])
        return None
    obligations = _obligations_on(enrolment.learner, on)
    if obligations:
        learner_event_record(
            learner=enrolment.learner,
            type=LearnerEvent.Type.NOT_PARTICIPATING_PROPERLY,
            data={
                "alert_id": alert.pk,
                "rule": rule.kind,
                "course_id": enrolment.course_id,
                "enrolment_id": enrolment.pk,
                "dates": iso,
                "rate": str(rate) if rate is not None else None,
                "authorities": sorted({o.authority for o in obligations}),
                "jobcenter_ids": sorted({o.jobcenter_id for o in obligations if o.jobcenter_id}),
            },
        )
        alert.notified_authority = True
        alert.save(update_fields=["notified_authority"])
    return alert


def _unexcused_runs(days: list[tuple[date, str | None]], n: int) -> list[list[date]]:
    runs, current = [], []
    for day, code in days:
        if code == Code.UNEXCUSED:
            current.append(day)
        else:
            if len(current) >= n:
                runs.append(current)
            current = []
    if len(current) >= n:
        runs.append(current)
    return runs


def evaluate_alerts(*, course: Course, on: date | None = None) -> list[Alert]:
    """Evaluate the provider's alert rules for every learner of the course up to ``on``.

    An alert is raised once per incident (a run of unexcused days, a spell below the rate) and
    lists the dates that caused it; for learners obliged by an authority a
    ``not_participating_properly`` event goes to the outbox, which the Jobcenter feed delivers.
    A rate alert resolves itself when the rate recovers.
    """
    on = on or today()
    rules = [
        r
        for r in AlertRule.objects.filter(provider_id=course.provider_id, active=True)
        if r.programme_id is None or r.programme_id == course.course_type.programme_id
    ]
    if not rules:
        return []
    enrolments = list(
        enrolments_on(course=course.pk, day=on)
        .select_related("learner")
        .prefetch_related("learner__entitlements")
    )
    if not enrolments:
        return []
    figures = attendance_figures(enrolments, until=on)
    sessions = list(
        Session.objects.held()
        .filter(course_id=course.pk, date__lte=on)
        .order_by("date", "start_time")
        .values_list("pk", "date")
    )
    codes: dict[int, dict[int, str]] = {}
    for enrolment_id, session_id, code in (
        counted_records()
        .filter(enrolment__in=enrolments, session__date__lte=on)
        .values_list("enrolment_id", "session_id", "code")
    ):
        codes.setdefault(enrolment_id, {})[session_id] = code
    raised: list[Alert] = []
    for enrolment in enrolments:
        mine = codes.get(enrolment.pk, {})
        obligations = _obligations_on(enrolment.learner, on)
        for rule in rules:
            if rule.obliging_authority and not any(
                o.authority == rule.obliging_authority for o in obligations
            ):
                continue
            if rule.kind == AlertRule.Kind.RATE_BELOW:
                f = figures.get(enrolment.pk)
                rate = f.rate if f else None
                below = (
                    rate is not None
                    and f.ue_held >= rule.min_ue_held
                    and rate * 100 < rule.threshold_percent
                )
                open_alert = Alert.objects.filter(
                    rule=rule, enrolment=enrolment, resolved_at__isnull=True
                ).first()
                missed = []
                if below:
                    missed = [
                        d
                        for pk, d in sessions
                        if mine.get(pk) in (Code.UNEXCUSED, Code.EXCUSED, Code.CHANGED)
                        and (enrolment.start_date is None or d >= enrolment.start_date)
                    ]
                if below and open_alert is not None:
                    iso = [d.isoformat() for d in missed]
                    if open_alert.dates != iso:
                        open_alert.dates = iso
                        open_alert.save(update_fields=["dates"])
                elif below:
                    alert = _raise_alert(
                        rule=rule,
                        enrolment=enrolment,
                        key=f"rate:{on.isoformat()}",
                        dates=missed,
                        rate=Decimal(str(rate)),
                        on=on,
                    )
                    if alert:
                        raised.append(alert)
                elif not below and open_alert is not None:
                    open_alert.resolved_at = timezone.now()
                    open_alert.save(update_fields=["resolved_at"])
            else:
                days = [
                    (d, mine.get(pk))
                    for pk, d in sessions
                    if enrolment.start_date is None or d >= enrolment.start_date
                ]
                for run in _unexcused_runs(days, rule.consecutive_days):
                    alert = _raise_alert(
                        rule=rule,
                        enrolment=enrolment,
                        key=f"run:{run[0].isoformat()}",
                        dates=run,
                        rate=None,
                        on=on,
                    )
                    if alert:
                        raised.append(alert)
    return raised


def evaluate_all_alerts(*, on: date | None = None) -> int:
    """Evaluate alert rules for every running course with rules (the nightly task)."""
    provider_ids = AlertRule.objects.filter(active=True).values("provider_id")
    count = 0
    for course in Course.objects.filter(
        provider_id__in=provider_ids, status=Course.Status.RUNNING
    ).select_related("course_type"):
        count += len(evaluate_alerts(course=course, on=on))
    return count
