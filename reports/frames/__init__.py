"""Report figures as pandas DataFrames, built from ``values()`` querysets (never row by row).

Every builder takes a :class:`~reports.access.Scope` (whose providers and courses) and
:class:`Filters` (period, location, course type) and returns a :class:`Result`: a DataFrame
whose columns are the stable keys listed in ``Report.columns``, plus a few totals. Pages,
exports, the API and the monthly workbook all show the same DataFrame, so their numbers agree.

Only aggregates leave this module (per course, location, module, learner group, reason …):
no row names a learner, so the same figures can be shown to network viewers."""

from core.report_pages import labelled
from reports.frames.attendance import GROUPINGS, attendance
from reports.frames.base import COURSE_COLUMNS, SEATED, Filters, Result, scoped_courses
from reports.frames.dropouts import dropouts
from reports.frames.internships import internships
from reports.frames.occupancy import occupancy
from reports.frames.registry import REPORTS, Report
from reports.frames.waiting_time import waiting_time

__all__ = [
    "COURSE_COLUMNS",
    "GROUPINGS",
    "REPORTS",
    "SEATED",
    "Filters",
    "Report",
    "Result",
    "attendance",
    "dropouts",
    "internships",
    "labelled",
    "occupancy",
    "scoped_courses",
    "waiting_time",
]
