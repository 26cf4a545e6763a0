"""The register as teachers and staff read it: rows of a day, the sign-off summary, open days and alerts, a learner's own records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from attendance.models import (
    AbsenceReason,
    AbsenceReport,
    Alert,
    AttendanceCorrection,
    AttendanceRecord,
    Code,
    LearnerCard,
    SessionSignOff,
)
from attendance.selectors.absences import reports_covering
from courses.models import Course, Session
from enrolment.models import Enrolment
from enrolment.selectors import enrolments_on
from people.models import Learner, User


def is_locked(session: Session) -> bool:
    """Whether the day is signed (uses a select_related ``signoff`` when there is one)."""
    try:
        return session.signoff is not None
    except SessionSignOff.DoesNotExist:
        return False


@dataclass
class RegisterRow:
    enrolment: Enrolment
    record: AttendanceRecord | None
    report: AbsenceReport | None = None

    @property
    def learner(self) -> Learner:
        return self.enrolment.learner

    @property
    def code(self) -> str:
        return self.record.code if self.record else ""


def register_rows(*, session: Session) -> list[RegisterRow]:
    """The day's list: every learner enrolled that day, with their record if any and the absence
    they reported for the day (three queries)."""
    enrolments = list(
        enrolments_on(course=session.course_id, day=session.date)
        .select_related("learner")
        .order_by("learner__last_name", "learner__first_name", "pk")
    )
    records = {
        r.enrolment_id: r
        for r in AttendanceRecord.objects.filter(session=session).select_related("absence_reason")
    }
    reports = reports_covering(learner_ids=[e.learner_id for e in enrolments], day=session.date)
    return [RegisterRow(e, records.get(e.pk), reports.get(e.learner_id)) for e in enrolments]


@dataclass(frozen=True)
class SignSummary:
    """What signing the day will record: counts after blanks become U, the blanks by name, and
    learners who joined on this day (an offer accepted that morning is easily missed)."""

    present: int
    excused: int
    unexcused: int
    internship: int
    blanks: list[str]
    joined_today: list[str]
    #: QR check-ins flagged as possibly forwarded: signing waits for the teacher's entry.
    to_confirm: list[str]


def joined_on(enrolment: Enrolment, day: date, course_start: date | None) -> bool:
    """Enrolled on this day (the enrolment was made that day) or entered late on it."""
    late_entry = enrolment.start_date == day and day != course_start
    return late_entry or timezone.localdate(enrolment.created_at) == day


def sign_summary(*, rows: list[RegisterRow], session: Session) -> SignSummary:
    """Summarise the day's register rows (see ``register_rows``) as signing would record them."""
    codes = [r.code or Code.UNEXCUSED for r in rows]
    return SignSummary(
        present=codes.count(Code.PRESENT),
        excused=codes.count(Code.EXCUSED),
        unexcused=codes.count(Code.UNEXCUSED),
        internship=codes.count(Code.INTERNSHIP),
        blanks=[r.learner.full_name for r in rows if not r.code],
        joined_today=[
            r.learner.full_name
            for r in rows
            if joined_on(r.enrolment, session.date, session.course.start_date)
        ],
        to_confirm=[r.learner.full_name for r in rows if r.record and r.record.flag],
    )


def absence_reasons() -> QuerySet[AbsenceReason]:
    return AbsenceReason.objects.filter(active=True)


def teacher_courses(*, user: User) -> QuerySet[Course]:
    """Courses the user teaches (assigned as teacher), running or about to."""
    return (
        Course.objects.filter(teachers=user)
        .exclude(status=Course.Status.CANCELLED)
        .select_related("location", "course_type")
        .order_by("start_date", "pk")
    )


def teacher_sessions_on(*, user: User, day: date) -> QuerySet[Session]:
    """The user's sessions (as teacher) on ``day``, with their sign-off."""
    return (
        Session.objects.held()
        .filter(course__teachers=user, date=day)
        .select_related("course", "course__location", "signoff")
        .order_by("start_time")
    )


def unsigned_days(*, provider_ids: Iterable[int], until: date | None = None) -> QuerySet[Session]:
    """Held course days up to ``until`` (today by default) that no teacher has signed yet."""
    until = until or timezone.localdate()
    return (
        Session.objects.held()
        .filter(course__provider_id__in=list(provider_ids), date__lte=until)
        .exclude(course__status=Course.Status.CANCELLED)
        .filter(~Exists(SessionSignOff.objects.filter(session=OuterRef("pk"))))
        .filter(Exists(Enrolment.objects.filter(course=OuterRef("course"), status="enrolled")))
        .select_related("course", "course__location")
        .order_by("date", "start_time")
    )


def open_alerts(*, provider_ids: Iterable[int]) -> QuerySet[Alert]:
    """Unresolved alerts of the providers, newest first, with learner, course and rule."""
    return (
        Alert.objects.filter(
            resolved_at__isnull=True, enrolment__course__provider_id__in=list(provider_ids)
        )
        .select_related("rule", "enrolment__learner", "enrolment__course")
        .order_by("-raised_at", "-pk")
    )


def learner_records(*, learner: Learner) -> QuerySet[AttendanceRecord]:
    """A learner's register entries with their corrections and evidence (staff view)."""
    return (
        AttendanceRecord.objects.filter(enrolment__learner=learner)
        .select_related("session", "session__course", "absence_reason", "session__signoff")
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=AttendanceCorrection.objects.select_related("changed_by"),
            ),
            "evidence",
        )
        .order_by("-session__date", "-session__start_time")
    )


def learner_active_card(*, learner: Learner) -> LearnerCard | None:
    return LearnerCard.objects.active().filter(learner=learner).first()


def illness_streak(*, enrolment_id: int, session: Session) -> int:
    """Course days in a row, ending with ``session``, on which the learner was absent ill."""
    days = (
        Session.objects.held()
        .filter(course_id=session.course_id, date__lte=session.date)
        .order_by("-date", "-start_time")
        .values_list("pk", flat=True)[:60]
    )
    ids = list(days)
    ill = set(
        AttendanceRecord.objects.filter(
            enrolment_id=enrolment_id, session_id__in=ids, absence_reason__is_illness=True
        ).values_list("session_id", flat=True)
    )
    streak = 0
    for pk in ids:
        if pk == session.pk or pk in ill:
            streak += 1
        else:
            break
    return streak
