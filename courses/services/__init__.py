"""Writes about courses: creating and changing them, planning their sessions from the weekly
timetable, and cancelling a course day.

By topic: ``courses`` (create and update), ``planning`` (sessions from the timetable, plan
warnings), ``cancellations`` (a cancelled day), ``dates`` (public holidays, time of day) and
``base`` (the rule error). Callers import from the package, as before the split."""

from courses.services.base import CourseError
from courses.services.cancellations import session_cancel
from courses.services.courses import (
    DESCRIPTION_TRANSLATIONS,
    UPDATABLE_FIELDS,
    course_create,
    course_update,
)
from courses.services.dates import is_public_holiday, public_holidays, time_of_day_for
from courses.services.planning import (
    PLANNING_HORIZON_DAYS,
    PLAUSIBLE_MONTHS,
    PLAUSIBLE_UE_PER_WEEK,
    PlannedSession,
    course_plan_sessions,
    course_plan_warnings,
    plan,
)

__all__ = [
    "DESCRIPTION_TRANSLATIONS",
    "PLANNING_HORIZON_DAYS",
    "PLAUSIBLE_MONTHS",
    "PLAUSIBLE_UE_PER_WEEK",
    "UPDATABLE_FIELDS",
    "CourseError",
    "PlannedSession",
    "course_create",
    "course_plan_sessions",
    "course_plan_warnings",
    "course_update",
    "is_public_holiday",
    "plan",
    "public_holidays",
    "session_cancel",
    "time_of_day_for",
]
