"""The teacher's register: marks, Kommt/Geht, imports of a day, sign-off that locks the day,
staff corrections with reason and history, absence evidence."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import (
    AbsenceEvidence,
    AbsenceReason,
    AttendanceCorrection,
    AttendanceRecord,
    Code,
    Method,
    SessionSignOff,
)
from attendance.rules import (
    CERTIFICATE_FROM_DAY,
    session_has_begun,
    times_problem,
    ue_attended_for,
)
from attendance.selectors import illness_streak, is_locked
from attendance.services.alerts import evaluate_alerts
from attendance.services.base import AttendanceError, note_checked, now, today
from attendance.signals import register_changed
from core.errors import ConflictError, PermissionDeniedError
from courses.models import Course, Session
from enrolment.models import Enrolment
from enrolment.selectors import enrolments_on
from people.models import Role, User


def _is_staff_of(user: User, course: Course) -> bool:
    return course.provider_id in user.provider_ids(role=Role.STAFF)


def _snapshot(record: AttendanceRecord) -> dict[str, Any]:
    return {
        "code": record.code,
        "ue_attended": str(record.ue_attended),
        "arrived_at": record.arrived_at.strftime("%H:%M") if record.arrived_at else None,
        "left_at": record.left_at.strftime("%H:%M") if record.left_at else None,
        "absence_reason": record.absence_reason.code if record.absence_reason else None,
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
    certificate is requested. Kommt/Geht must be possible times of the day (``times_problem``);
    a day that has not begun takes only an announced absence (E with a reason).
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
        record.note = note_checked(note)
    if record.code != Code.PRESENT:
        record.arrived_at = record.left_at = None
    problem = times_problem(session, record.arrived_at, record.left_at)
    if problem:
        raise AttendanceError(problem[1], code="impossible_time", field=problem[0])
    if not session_has_begun(session, now()) and not (
        record.code == Code.EXCUSED and record.absence_reason_id
    ):
        raise AttendanceError(
            _(
                "This day has not begun yet. Before the day only an announced absence "
                "(E with a reason) can be recorded."
            ),
            code="future_day",
            field="code",
        )
    if record.code == Code.PRESENT:
        record.absence_reason = None
    record.ue_attended = ue_attended_for(session, record.code, record.arrived_at, record.left_at)
    record.certificate_requested = bool(
        record.absence_reason is not None
        and record.absence_reason.is_illness
        and illness_streak(enrolment_id=enrolment.pk, session=session) >= CERTIFICATE_FROM_DAY
    )
    record.method = method
    record.recorded_by = by
    record.recorded_at = timezone.now()
    record.flag = ""  # the teacher (or the office) has seen the learner's entry: confirmed
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
    if new:
        register_changed.send(sender=AttendanceRecord, session_id=session.pk)
    return len(new)


@transaction.atomic
def day_sign(*, session: Session, by: User) -> SessionSignOff:
    """The teacher signs and locks the day.

    Learners without an entry are recorded as unexcused (U); self check-ins count from now on.
    A future day cannot be signed, nor a day twice, nor a day with a flagged QR check-in the
    teacher has not confirmed (``checkin_flag``). Alert rules are evaluated for the course.
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
    flagged = [
        str(record.enrolment.learner)
        for record in AttendanceRecord.objects.filter(session=session)
        .exclude(flag="")
        .select_related("enrolment__learner")
    ]
    if flagged:
        raise AttendanceError(
            _(
                "Confirm or correct the check-ins marked for confirmation first "
                "(tap the learner's code): %(names)s."
            )
            % {"names": ", ".join(flagged)},
            code="unconfirmed_checkins",
        )
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
        note=note_checked(note),
        uploaded_by=by,
    )
