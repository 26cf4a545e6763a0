"""Reads of the attendance register: figures per enrolment, used by pages, API, certificates, reports."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from attendance.models import (
    SELF_METHODS,
    AbsenceReason,
    AbsenceReport,
    Alert,
    AttendanceCorrection,
    AttendanceRecord,
    Code,
    LearnerCard,
    SessionSignOff,
)
from courses.models import Course, Session
from enrolment.models import Enrolment
from enrolment.selectors import enrolments_on
from people.models import Learner, User


@dataclass(frozen=True)
class Figures:
    """Attendance of one learner in one course up to a day."""

    ue_held: int
    ue_attended: Decimal
    excused_days: int
    unexcused_days: int
    internship_days: int
    last_attended: date | None

    @property
    def rate(self) -> float | None:
        """Share of held UE attended (internship days count as attended); None before any UE."""
        if not self.ue_held:
            return None
        return round(float(self.ue_attended) / self.ue_held, 4)


EMPTY = Figures(0, Decimal(0), 0, 0, 0, None)


def _figure_records(
    *, ids: list[int], until: date, group: tuple[str, ...] = ("enrolment_id",)
) -> QuerySet:
    return (
        counted_records()
        .filter(enrolment_id__in=ids, session__date__lte=until)
        .values(*group)
        .annotate(
            ue_attended=Sum("ue_attended", filter=Q(code__in=[Code.PRESENT, Code.INTERNSHIP])),
            excused=Count("id", filter=Q(code=Code.EXCUSED)),
            unexcused=Count("id", filter=Q(code=Code.UNEXCUSED)),
            internship=Count("id", filter=Q(code=Code.INTERNSHIP)),
            last=Max("session__date", filter=Q(code=Code.PRESENT)),
        )
        .order_by()
    )


def _held_sessions(*, course_ids: list[int], until: date, extra: tuple[str, ...] = ()) -> QuerySet:
    return (
        Session.objects.held()
        .filter(course_id__in=course_ids, date__lte=until)
        .order_by("course_id", "date")
        .values("course_id", "date", "ue", *extra)
    )


def attendance_figures(
    enrolments: Iterable[Enrolment], *, until: date | None = None
) -> dict[int, Figures]:
    """Figures for each enrolment, in two queries whatever the number of enrolments.

    UE held are the UE of the course's non-cancelled sessions from the learner's entry date up to
    ``until`` (today by default); attended, excused and unexcused come from the register.
    Records a learner made themselves (session QR, card) count only once the teacher has signed
    the day; what a teacher, staff, an import or an internship entered counts at once.
    """
    until = until or timezone.localdate()
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    records = _figure_records(ids=[e.pk for e in enrolments], until=until)
    sessions = _held_sessions(course_ids=sorted({e.course_id for e in enrolments}), until=until)
    by_enrolment = {row["enrolment_id"]: row for row in records}
    days: dict[int, list[date]] = {}
    totals: dict[int, list[int]] = {}
    for session in sessions:
        days.setdefault(session["course_id"], []).append(session["date"])
        running = totals.setdefault(session["course_id"], [0])
        running.append(running[-1] + session["ue"])
    figures: dict[int, Figures] = {}
    for enrolment in enrolments:
        course_days = days.get(enrolment.course_id, [])
        prefix = totals.get(enrolment.course_id, [0])
        first = bisect_left(course_days, enrolment.start_date) if enrolment.start_date else 0
        last = bisect_right(course_days, min(enrolment.ended_on or until, until))
        ue_held = prefix[last] - prefix[first] if last > first else 0
        row = by_enrolment.get(enrolment.pk)
        if row is None and not ue_held:
            figures[enrolment.pk] = EMPTY
            continue
        row = row or {}
        figures[enrolment.pk] = Figures(
            ue_held=ue_held,
            ue_attended=row.get("ue_attended") or Decimal(0),
            excused_days=row.get("excused", 0),
            unexcused_days=row.get("unexcused", 0),
            internship_days=row.get("internship", 0),
            last_attended=row.get("last"),
        )
    return figures


def attendance_figures_by_module(
    enrolments: Iterable[Enrolment],
    *,
    until: date | None = None,
    modules: Iterable[int] | None = None,
) -> dict[int, dict[int, Figures]]:
    """The figures of ``attendance_figures`` split by module: ``{enrolment_id: {module_id:
    Figures}}``, in two queries whatever the number of enrolments or course days.

    The same rules, from the same records and held sessions (``counted_records``, the entry and
    leaving dates), so the modules of an enrolment add up to its figures there: what the
    learner sees is what staff and the Jobcenter see. ``modules`` (ids) limits the figures to
    those modules (billing asks for the modules it bills, not the whole course).
    """
    until = until or timezone.localdate()
    enrolments = list(enrolments)
    if not enrolments:
        return {}
    records = _figure_records(
        ids=[e.pk for e in enrolments], until=until, group=("enrolment_id", "session__module_id")
    )
    sessions = _held_sessions(
        course_ids=sorted({e.course_id for e in enrolments}), until=until, extra=("module_id",)
    )
    if modules is not None:
        module_ids = list(modules)
        records = records.filter(session__module_id__in=module_ids)
        sessions = sessions.filter(module_id__in=module_ids)
    by_key = {(row["enrolment_id"], row["session__module_id"]): row for row in records}
    days: dict[tuple[int, int], list[date]] = {}
    totals: dict[tuple[int, int], list[int]] = {}
    modules_of: dict[int, list[int]] = {}
    for session in sessions:
        key = (session["course_id"], session["module_id"])
        if key not in days:
            modules_of.setdefault(session["course_id"], []).append(session["module_id"])
        days.setdefault(key, []).append(session["date"])
        running = totals.setdefault(key, [0])
        running.append(running[-1] + session["ue"])
    # Modules with records of each enrolment, found once (not by scanning every key per
    # enrolment, which grew with the square of the enrolments).
    recorded: dict[int, list[int]] = {}
    for e, m in by_key:
        recorded.setdefault(e, []).append(m)
    out: dict[int, dict[int, Figures]] = {}
    for enrolment in enrolments:
        per_module: dict[int, Figures] = {}
        module_ids = list(modules_of.get(enrolment.course_id, []))
        module_ids += [m for m in recorded.get(enrolment.pk, []) if m not in module_ids]
        for module_id in module_ids:
            key = (enrolment.course_id, module_id)
            module_days, prefix = days.get(key, []), totals.get(key, [0])
            first = bisect_left(module_days, enrolment.start_date) if enrolment.start_date else 0
            last = bisect_right(module_days, min(enrolment.ended_on or until, until))
            ue_held = prefix[last] - prefix[first] if last > first else 0
            row = by_key.get((enrolment.pk, module_id))
            if row is None and not ue_held:
                continue
            row = row or {}
            per_module[module_id] = Figures(
                ue_held=ue_held,
                ue_attended=row.get("ue_attended") or Decimal(0),
                excused_days=row.get("excused", 0),
                unexcused_days=row.get("unexcused", 0),
                internship_days=row.get("internship", 0),
                last_attended=row.get("last"),
            )
        out[enrolment.pk] = per_module
    return out


def counted_records() -> QuerySet[AttendanceRecord]:
    """Records that count: all but self check-ins on days the teacher has not signed yet."""
    return AttendanceRecord.objects.exclude(
        Q(method__in=SELF_METHODS) & Q(session__signoff__isnull=True)
    )


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


@dataclass
class ModuleRow:
    enrolment: Enrolment
    cells: dict[int, str]
    ue_attended: Decimal
    excused: int
    unexcused: int
    #: the late entry date, when the learner joined after the module began
    entry_date: date | None = None

    @property
    def learner(self) -> Learner:
        return self.enrolment.learner


#: Cell of a day before the learner's entry: not enrolled yet (not an unrecorded day).
NOT_ENROLLED = "n. e."


@dataclass
class ModuleRegister:
    sessions: list[Session]
    rows: list[ModuleRow]
    ue_held: int


def held_ue(sessions: Iterable[Session], *, until: date) -> int:
    """UE held: the UE of course days up to ``until`` that were not cancelled. Planned future
    days are not held (BAMF pays what was taught). The one count of held UE: the module list,
    reports and billing call this (or ``course_ue_held``)."""
    return sum(s.ue for s in sessions if s.date <= until and s.status != Session.Status.CANCELLED)


def course_ue_held(*, course: Course, module=None, until: date | None = None) -> int:
    """UE held in a course (or one of its modules) up to ``until`` (default: today); one query."""
    from attendance.services.base import today

    qs = Session.objects.held().filter(course=course, date__lte=until or today())
    if module is not None:
        qs = qs.filter(module=module)
    return qs.aggregate(total=Sum("ue"))["total"] or 0


def module_register(*, course: Course, module, until: date | None = None) -> ModuleRegister:
    """The Anwesenheitsliste of one module: every learner × every course day, codes and
    Kommt/Geht (``X 09:05–``), in three queries. UE held count days up to ``until`` (default
    today) only; a late entry shows its date and the days before it as not enrolled."""
    from attendance.services.base import today

    until = until or today()
    sessions = list(
        Session.objects.held().filter(course=course, module=module).order_by("date", "start_time")
    )
    if not sessions:
        return ModuleRegister([], [], 0)
    first, last = sessions[0].date, sessions[-1].date
    enrolments = list(
        Enrolment.objects.filter(course=course)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=last))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .filter(
            status__in=[
                Enrolment.Status.ENROLLED,
                Enrolment.Status.COMPLETED,
                Enrolment.Status.WITHDRAWN,
            ]
        )
        .select_related("learner")
        .order_by("learner__last_name", "learner__first_name", "pk")
    )
    records: dict[int, dict[int, AttendanceRecord]] = {}
    for r in counted_records().filter(session__in=sessions, enrolment__in=enrolments):
        records.setdefault(r.enrolment_id, {})[r.session_id] = r
    rows = []
    for e in enrolments:
        mine = records.get(e.pk, {})
        cells = {}
        for s_id, r in mine.items():
            text = r.code
            if r.arrived_at or r.left_at:
                kommt = r.arrived_at.strftime("%H:%M") if r.arrived_at else ""
                geht = r.left_at.strftime("%H:%M") if r.left_at else ""
                text = f"{r.code} {kommt}–{geht}"
            cells[s_id] = text
        entry = e.start_date if e.start_date and e.start_date > first else None
        if entry:
            for s in sessions:
                if s.date < entry and s.pk not in cells:
                    cells[s.pk] = NOT_ENROLLED
        row = ModuleRow(
            enrolment=e,
            cells=cells,
            ue_attended=sum(
                (r.ue_attended for r in mine.values() if r.code in (Code.PRESENT, Code.INTERNSHIP)),
                Decimal(0),
            ),
            excused=sum(1 for r in mine.values() if r.code == Code.EXCUSED),
            unexcused=sum(1 for r in mine.values() if r.code == Code.UNEXCUSED),
            entry_date=entry,
        )
        rows.append(row)
    return ModuleRegister(sessions, rows, held_ue(sessions, until=until))


# --- absence reports by learners ----------------------------------------------------------------


def reports_covering(*, learner_ids: Iterable[int], day: date) -> dict[int, AbsenceReport]:
    """The learners' absence reports that cover ``day``, by learner (the newest wins); one query."""
    reports = AbsenceReport.objects.filter(
        learner_id__in=list(learner_ids), first_day__lte=day, last_day__gte=day
    ).order_by("learner_id", "created_at", "pk")
    return {report.learner_id: report for report in reports}


def illness_days_in_row(*, learner: Learner, first_day: date, last_day: date) -> int:
    """Course days in a row, ending with the last course day up to ``last_day``, on which the
    learner is ill: by the register (an illness reason) or by an illness report, counting the
    days from ``first_day`` to ``last_day`` as reported ill. Three queries."""
    enrolled = Enrolment.objects.filter(learner=learner, status=Enrolment.Status.ENROLLED)
    days = list(
        Session.objects.held()
        .filter(course__in=enrolled.values("course_id"), date__lte=last_day)
        .order_by("-date")
        .values_list("date", flat=True)
        .distinct()[:60]
    )
    if not days:
        return 0
    ill = {day for day in days if first_day <= day <= last_day}
    ill.update(
        AttendanceRecord.objects.filter(
            enrolment__in=enrolled,
            session__date__gte=days[-1],
            absence_reason__is_illness=True,
        ).values_list("session__date", flat=True)
    )
    for report in AbsenceReport.objects.filter(
        learner=learner, reason=AbsenceReport.Reason.ILLNESS, last_day__gte=days[-1]
    ).exclude(decision=Code.UNEXCUSED):
        ill.update(day for day in days if report.covers(day))
    streak = 0
    for day in days:
        if day not in ill:
            break
        streak += 1
    return streak
