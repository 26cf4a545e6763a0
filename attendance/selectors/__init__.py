"""Reads of the attendance register: figures per enrolment, used by pages, API, certificates, reports."""

from __future__ import annotations

from attendance.selectors.absences import (
    illness_days_in_row,
    reports_covering,
)
from attendance.selectors.figures import (
    EMPTY,
    Figures,
    attendance_figures,
    attendance_figures_by_module,
    counted_records,
)
from attendance.selectors.module_list import (
    NOT_ENROLLED,
    ModuleRegister,
    ModuleRow,
    course_ue_held,
    held_ue,
    module_register,
)
from attendance.selectors.register import (
    RegisterRow,
    SignSummary,
    absence_reasons,
    illness_streak,
    is_locked,
    joined_on,
    learner_active_card,
    learner_records,
    open_alerts,
    register_rows,
    sign_summary,
    teacher_courses,
    teacher_sessions_on,
    unsigned_days,
)

__all__ = [
    "EMPTY",
    "NOT_ENROLLED",
    "Figures",
    "ModuleRegister",
    "ModuleRow",
    "RegisterRow",
    "SignSummary",
    "absence_reasons",
    "attendance_figures",
    "attendance_figures_by_module",
    "counted_records",
    "course_ue_held",
    "held_ue",
    "illness_days_in_row",
    "illness_streak",
    "is_locked",
    "joined_on",
    "learner_active_card",
    "learner_records",
    "module_register",
    "open_alerts",
    "register_rows",
    "reports_covering",
    "sign_summary",
    "teacher_courses",
    "teacher_sessions_on",
    "unsigned_days",
]
