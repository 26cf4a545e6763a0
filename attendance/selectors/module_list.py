"""The BAMF attendance list per Kursabschnitt: learners by course days with codes and UE held."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum

from attendance.models import (
    AttendanceRecord,
    Code,
)
from attendance.selectors.figures import counted_records
from courses.models import Course, Session
from enrolment.models import Enrolment
from people.models import Learner


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
