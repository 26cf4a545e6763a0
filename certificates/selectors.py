"""Reads for certificates: what a participation certificate says, and which documents staff see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min, Sum
from django.utils import timezone

from attendance.selectors import EMPTY, Figures, attendance_figures
from certificates.models import Document, TestResult
from courses.models import Course, Level, Module, Session
from enrolment.models import Enrolment
from people.models import Learner

CERTIFIABLE_STATUSES = (
    Enrolment.Status.ENROLLED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.WITHDRAWN,
)


@dataclass(frozen=True)
class ModuleSpan:
    first: date
    last: date
    ue: int


def _minus(a: Figures, b: Figures) -> dict[str, Any]:
    return {
        "ue_held": a.ue_held - b.ue_held,
        "ue_attended": a.ue_attended - b.ue_attended,
        "excused_days": a.excused_days - b.excused_days,
        "unexcused_days": a.unexcused_days - b.unexcused_days,
        "internship_days": a.internship_days - b.internship_days,
    }


def _fmt_ue(value: Decimal | int) -> str:
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral() else f"{value:.2f}".replace(".", ",")


def module_spans(course: Course) -> dict[int, ModuleSpan]:
    """First and last held day and scheduled UE of each module of the course (one query)."""
    rows = (
        Session.objects.held()
        .filter(course=course)
        .values("module_id")
        .annotate(first=Min("date"), last=Max("date"), ue=Sum("ue"))
    )
    return {r["module_id"]: ModuleSpan(r["first"], r["last"], r["ue"]) for r in rows}


def certifiable_enrolment(*, learner: Learner, course: Course) -> Enrolment | None:
    """The learner's latest enrolment in the course that a certificate can speak about."""
    return (
        Enrolment.objects.filter(learner=learner, course=course, status__in=CERTIFIABLE_STATUSES)
        .select_related("module")
        .order_by("-created_at", "-pk")
        .first()
    )


def course_certifiable_enrolments(course: Course) -> list[Enrolment]:
    """Enrolled and completed learners of a course, by name (the batch's order)."""
    return list(
        Enrolment.objects.filter(
            course=course, status__in=(Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)
        )
        .select_related("learner", "module")
        .order_by("learner__last_name", "learner__first_name", "pk")
    )


def participation_contents(
    *,
    course: Course,
    enrolments: list[Enrolment],
    module: Module | None = None,
    until: date | None = None,
) -> dict[int, dict[str, Any]]:
    """What each enrolment's participation certificate says, by enrolment id.

    Figures per module are differences of ``attendance_figures`` at module ends, so the register
    is read by the one function that computes attendance (one call per module, whatever the
    number of learners).
    """
    until = until or timezone.localdate()
    modules = course.modules_to_teach()
    spans = module_spans(course)
    started = [m for m in modules if m.pk in spans and spans[m.pk].first <= until]
    if module is not None:
        index = next((i for i, m in enumerate(started) if m.pk == module.pk), None)
        shown = [module] if index is not None else []
        previous_end = spans[started[index - 1].pk].last if index else None
        boundaries = [previous_end] if previous_end else []
        boundaries += [min(spans[module.pk].last, until)] if shown else []
    else:
        shown = started
        boundaries = [min(spans[m.pk].last, until) for m in started]
    at: dict[date, dict[int, Figures]] = {
        day: attendance_figures(enrolments, until=day) for day in dict.fromkeys(boundaries)
    }
    totals = attendance_figures(enrolments, until=until) if module is None else None
    learner_ids = [e.learner_id for e in enrolments]
    results: dict[int, list[TestResult]] = {}
    for result in TestResult.objects.filter(learner_id__in=learner_ids, course=course).order_by(
        "taken_on", "pk"
    ):
        if module is None or result.module_id in (None, module.pk):
            results.setdefault(result.learner_id, []).append(result)
    course_type = course.course_type
    out: dict[int, dict[str, Any]] = {}
    for enrolment in enrolments:
        rows = []
        start_order = enrolment.module.order if enrolment.module_id else 0
        previous = EMPTY
        if module is not None and len(boundaries) == 2:
            previous = at[boundaries[0]].get(enrolment.pk, EMPTY)
        for m in shown:
            span = spans[m.pk]
            end = at[min(span.last, until)].get(enrolment.pk, EMPTY)
            diff = _minus(end, previous)
            previous = end
            if m.order < start_order:
                continue
            rows.append(
                {
                    "name": m.name,
                    "first": span.first,
                    "last": min(span.last, until),
                    "ue_planned": m.ue,
                    "ue_held": diff["ue_held"],
                    "ue_attended": _fmt_ue(diff["ue_attended"]),
                    "excused_days": diff["excused_days"],
                    "unexcused_days": diff["unexcused_days"],
                    "internship_days": diff["internship_days"],
                }
            )
        if totals is not None:
            f = totals.get(enrolment.pk, EMPTY)
            total = {
                "ue_planned": sum(r["ue_planned"] for r in rows),
                "ue_held": f.ue_held,
                "ue_attended": _fmt_ue(f.ue_attended),
                "excused_days": f.excused_days,
                "unexcused_days": f.unexcused_days,
                "internship_days": f.internship_days,
                "rate": f.rate,
            }
        else:
            r = rows[0] if rows else None
            total = None
            if r:
                held = r["ue_held"]
                attended = Decimal(r["ue_attended"].replace(",", "."))
                r["rate"] = round(float(attended) / held, 4) if held else None
        learner_results = results.get(enrolment.learner_id, [])
        levels = [t.level for t in learner_results if t.level]
        first = rows[0]["first"] if rows else (enrolment.start_date or course.start_date)
        if enrolment.start_date and first < enrolment.start_date:
            first = enrolment.start_date
        last = rows[-1]["last"] if rows else first
        if enrolment.ended_on and last > enrolment.ended_on:
            last = enrolment.ended_on
        out[enrolment.pk] = {
            "kind": "participation",
            "learner": enrolment.learner,
            "course": course,
            "provider": course.provider,
            "course_type": course_type.name,
            "module": module,
            "rows": rows,
            "total": total,
            "date_from": first,
            "date_to": last,
            "level_reached": max(levels, key=Level.rank) if levels else "",
            "test_results": learner_results,
        }
    return out


def verification_lookup(code: str) -> Document | None:
    """The document with this code, or None (the public verify page shows only its facts)."""
    if not code or len(code) > 40:
        return None
    return Document.objects.defer("pdf").filter(code=code).first()
