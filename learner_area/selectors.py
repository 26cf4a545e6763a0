"""Reads for the learner's own pages. Each page's reads are a fixed handful of queries, whatever
the number of course days (the tests pin them with 5 and with 50 days)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from attendance.models import SELF_METHODS, AbsenceReport, AttendanceRecord, Code, LearnerCard
from attendance.rules import checkin_window
from attendance.selectors import Figures, attendance_figures, attendance_figures_by_module
from billing.models import ContributionPayment
from certificates.models import Document
from courses.models import Module, Session
from enrolment.models import Enrolment, WaitlistWish
from enrolment.selectors import WaitingEntry, waitlist_position
from learner_area.models import CalendarFeed
from people.models import Learner

#: How far ahead the timetable page lists course days (the calendar feed has them all).
TIMETABLE_WEEKS = 8
#: Cancelled days this close are a notice on the home page.
NOTICE_DAYS = 14
SEATED = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN)


def _enrolments(learner: Learner, statuses=None) -> list[Enrolment]:
    qs = Enrolment.objects.filter(learner=learner).select_related(
        "course__course_type", "course__location", "course__provider", "module"
    )
    if statuses is not None:
        qs = qs.filter(status__in=statuses)
    return list(qs.order_by("course__start_date", "pk"))


def _belongs(enrolment: Enrolment, day: date) -> bool:
    """Whether the learner is on the course's register on ``day`` (entered, not yet left)."""
    started = enrolment.start_date is None or enrolment.start_date <= day
    return started and (enrolment.ended_on is None or day <= enrolment.ended_on)


@dataclass(frozen=True)
class CourseDay:
    """A course day of one of the learner's courses."""

    session: Session
    enrolment: Enrolment
    report: AbsenceReport | None = None

    @property
    def course(self):
        return self.session.course

    @property
    def cancelled(self) -> bool:
        return self.session.status == Session.Status.CANCELLED

    @property
    def teachers(self) -> list[str]:
        return [t.get_full_name() or t.get_username() for t in self.session.course.teachers.all()]


def _reports(learner: Learner, *, since: date) -> list[AbsenceReport]:
    return list(
        AbsenceReport.objects.filter(learner=learner)
        .filter(Q(last_day__gte=since) | Q(certificate_needed=True, evidence=""))
        .order_by("first_day", "pk")
    )


def _report_on(reports: list[AbsenceReport], day: date) -> AbsenceReport | None:
    return next((r for r in reports if r.covers(day)), None)


# --- home ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Today:
    """Today's course day and where the learner stands with it."""

    day: CourseDay
    state: (
        str  # checked_in, waiting_signature, absent_E, absent_U, …, reported, open, later, missed
    )
    record: AttendanceRecord | None
    opens_at: datetime


@dataclass
class HomePage:
    learner: Learner
    enrolments: list[Enrolment]
    next_day: CourseDay | None
    today: list[Today]
    offers: list[Enrolment]
    waiting: list[Enrolment]
    applied: list[Enrolment]
    cancelled_soon: list[CourseDay]
    certificate_needed: list[AbsenceReport]
    upcoming_reports: list[AbsenceReport] = field(default_factory=list)


def _today_state(day: CourseDay, record: AttendanceRecord | None, now: datetime) -> Today:
    opens, closes = checkin_window(day.session)
    if record is not None:
        if record.code == Code.PRESENT and record.method in SELF_METHODS:
            state = "checked_in"
        else:
            state = f"code_{record.code}"
    elif day.report is not None:
        state = "reported"
    elif now < opens:
        state = "later"
    elif now <= closes:
        state = "open"
    else:
        state = "missed"
    return Today(day=day, state=state, record=record, opens_at=timezone.localtime(opens))


def home_page(*, learner: Learner, now: datetime | None = None) -> HomePage:
    """Everything the home page shows, in six queries (seven with a coming course day)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    enrolments = _enrolments(learner)
    enrolled = {e.course_id: e for e in enrolments if e.status == Enrolment.Status.ENROLLED}
    coming = (
        Session.objects.filter(course_id__in=list(enrolled), date__gte=today)
        .filter(Q(status=Session.Status.PLANNED) | Q(date__lte=today + timedelta(NOTICE_DAYS)))
        .select_related("course__location", "course__course_type", "module")
        .prefetch_related(Prefetch("course__teachers"))
        .order_by("date", "start_time")[:20]
    )
    reports = _reports(learner, since=today)
    days = [
        CourseDay(s, enrolled[s.course_id], _report_on(reports, s.date))
        for s in coming
        if _belongs(enrolled[s.course_id], s.date)
    ]
    held = [d for d in days if not d.cancelled]
    records = {
        r.session_id: r
        for r in AttendanceRecord.objects.filter(
            enrolment__learner=learner, session__date=today
        ).only("session_id", "code", "method", "arrived_at", "checked_in_at")
    }
    todays = [
        _today_state(d, records.get(d.session.pk), now) for d in held if d.session.date == today
    ]
    next_day = next(
        (
            d
            for d in held
            if d.session.date > today or timezone.localtime(now).time() < d.session.end_time
        ),
        None,
    )
    return HomePage(
        learner=learner,
        enrolments=enrolments,
        next_day=next_day,
        today=todays,
        offers=[e for e in enrolments if e.status == Enrolment.Status.OFFERED],
        waiting=[e for e in enrolments if e.status == Enrolment.Status.WAITLISTED],
        applied=[e for e in enrolments if e.status == Enrolment.Status.APPLIED],
        cancelled_soon=[d for d in days if d.cancelled],
        certificate_needed=[r for r in reports if r.certificate_needed and not r.evidence],
        upcoming_reports=[r for r in reports if r.last_day >= today],
    )


# --- timetable ----------------------------------------------------------------------------------


@dataclass
class TimetablePage:
    days: list[CourseDay]
    until: date
    feed: CalendarFeed | None


def timetable_page(*, learner: Learner, today: date | None = None) -> TimetablePage:
    """The coming course days of every enrolment, cancelled ones marked (four queries). Public
    holidays have no course day: the session planning skips them."""
    today = today or timezone.localdate()
    until = today + timedelta(weeks=TIMETABLE_WEEKS)
    enrolled = {e.course_id: e for e in _enrolments(learner, [Enrolment.Status.ENROLLED])}
    sessions = (
        Session.objects.filter(course_id__in=list(enrolled), date__gte=today, date__lte=until)
        .select_related("course__location", "course__course_type", "module")
        .order_by("date", "start_time")
    )
    reports = _reports(learner, since=today)
    days = [
        CourseDay(s, enrolled[s.course_id], _report_on(reports, s.date))
        for s in sessions
        if _belongs(enrolled[s.course_id], s.date)
    ]
    feed = CalendarFeed.objects.filter(learner=learner).first()
    return TimetablePage(days=days, until=until, feed=feed)


def calendar_sessions(*, learner: Learner, today: date | None = None) -> list[Session]:
    """Course days for the calendar feed: from four weeks back to the end of every course the
    learner is enrolled in, cancelled ones included (the calendar shows them as cancelled)."""
    today = today or timezone.localdate()
    enrolled = {e.course_id: e for e in _enrolments(learner, [Enrolment.Status.ENROLLED])}
    sessions = (
        Session.objects.filter(course_id__in=list(enrolled), date__gte=today - timedelta(weeks=4))
        .select_related("course__location", "course__course_type")
        .order_by("date", "start_time")
    )
    return [s for s in sessions if _belongs(enrolled[s.course_id], s.date)]


# --- attendance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DayEntry:
    """One held course day up to today and what the register says about it."""

    session: Session
    record: AttendanceRecord | None
    report: AbsenceReport | None

    @property
    def state(self) -> str:
        """The code, ``pending`` for a check-in the teacher has not signed yet, ``reported``
        or ``open`` (nothing recorded yet)."""
        if self.record is not None:
            signed = hasattr(self.session, "signoff")
            if self.record.method in SELF_METHODS and not signed:
                return "pending"
            return self.record.code
        return "reported" if self.report is not None else "open"


@dataclass
class ModuleAttendance:
    module: Module
    figures: Figures
    days: list[DayEntry]

    @property
    def percent(self) -> int | None:
        rate = self.figures.rate
        return None if rate is None else round(rate * 100)


@dataclass
class EnrolmentAttendance:
    enrolment: Enrolment
    figures: Figures
    modules: list[ModuleAttendance]

    @property
    def percent(self) -> int | None:
        rate = self.figures.rate
        return None if rate is None else round(rate * 100)


def attendance_page(*, learner: Learner, today: date | None = None) -> list[EnrolmentAttendance]:
    """Per enrolment and module: UE held and attended, excused and unexcused days, from the one
    selector staff and the Jobcenter use; then each day's entry. Eight queries."""
    today = today or timezone.localdate()
    enrolments = _enrolments(learner, SEATED)
    totals = attendance_figures(enrolments, until=today)
    per_module = attendance_figures_by_module(enrolments, until=today)
    module_ids = {m for figures in per_module.values() for m in figures}
    modules = Module.objects.in_bulk(list(module_ids))
    sessions = list(
        Session.objects.held()
        .filter(course_id__in=[e.course_id for e in enrolments], date__lte=today)
        .select_related("signoff")
        .order_by("-date", "-start_time")
    )
    records = {
        (r.enrolment_id, r.session_id): r
        for r in AttendanceRecord.objects.filter(enrolment__in=[e.pk for e in enrolments]).only(
            "enrolment_id", "session_id", "code", "method", "arrived_at", "left_at", "ue_attended"
        )
    }
    reports = list(AbsenceReport.objects.filter(learner=learner, first_day__lte=today))
    out = []
    for enrolment in enrolments:
        rows: dict[int, list[DayEntry]] = {}
        for session in sessions:
            if session.course_id == enrolment.course_id and _belongs(enrolment, session.date):
                rows.setdefault(session.module_id, []).append(
                    DayEntry(
                        session,
                        records.get((enrolment.pk, session.pk)),
                        _report_on(reports, session.date),
                    )
                )
        figures = per_module.get(enrolment.pk, {})
        module_rows = [
            ModuleAttendance(modules[module_id], figures[module_id], rows.get(module_id, []))
            for module_id in sorted(figures, key=lambda m: modules[m].order)
        ]
        out.append(EnrolmentAttendance(enrolment, totals[enrolment.pk], module_rows))
    return out


# --- absence reports ----------------------------------------------------------------------------


def learner_reports(*, learner: Learner, limit: int = 20) -> QuerySet[AbsenceReport]:
    return AbsenceReport.objects.filter(learner=learner).order_by("-first_day", "-pk")[:limit]


# --- offers and waiting lists -------------------------------------------------------------------


@dataclass
class Waiting:
    enrolment: Enrolment
    entry: WaitingEntry | None


@dataclass
class OffersPage:
    offers: list[Enrolment]
    waiting: list[Waiting]
    applied: list[Enrolment]
    wishes: list[WaitlistWish]


def offers_page(*, learner: Learner) -> OffersPage:
    """Open offers with their deadline, the place on each waiting list, applications and wishes.
    The position is computed as staff see it (``waitlist_position``), a few queries per list."""
    enrolments = _enrolments(
        learner,
        [Enrolment.Status.OFFERED, Enrolment.Status.WAITLISTED, Enrolment.Status.APPLIED],
    )
    wishes = list(
        learner.wishes.filter(status__in=[WaitlistWish.Status.ACTIVE, WaitlistWish.Status.OFFERED])
        .select_related("course_type")
        .order_by("created_at")
    )
    return OffersPage(
        offers=[e for e in enrolments if e.status == Enrolment.Status.OFFERED],
        waiting=[
            Waiting(e, waitlist_position(e))
            for e in enrolments
            if e.status == Enrolment.Status.WAITLISTED
        ],
        applied=[e for e in enrolments if e.status == Enrolment.Status.APPLIED],
        wishes=wishes,
    )


# --- documents ----------------------------------------------------------------------------------


@dataclass
class DocumentsPage:
    registrations: list[Enrolment]
    documents: list[Document]
    has_card: bool
    receipts: list[ContributionPayment] = field(default_factory=list)


def documents_page(*, learner: Learner) -> DocumentsPage:
    """What the learner can download: proofs of registration, issued certificates (valid
    versions, without the PDF bytes), receipts of own-contribution payments and the learner
    card. Four queries."""
    registrations = _enrolments(learner, [Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED])
    documents = list(
        Document.objects.valid()
        .filter(learner=learner)
        .defer("pdf", "facts")
        .select_related("course__course_type", "module", "placement__employer")
        .order_by("-issued_at", "-pk")
    )
    has_card = LearnerCard.objects.active().filter(learner=learner).exists()
    receipts = list(
        ContributionPayment.objects.filter(enrolment__learner=learner)
        .select_related("claim__module")
        .order_by("-paid_on", "-pk")
    )
    return DocumentsPage(
        registrations=registrations, documents=documents, has_card=has_card, receipts=receipts
    )
