"""The list of reports (slug, title, builder, column labels, chart), shared by pages, API and
exports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports.access import Scope
from reports.frames.attendance import attendance
from reports.frames.base import Filters, Result
from reports.frames.dropouts import dropouts
from reports.frames.internships import internships
from reports.frames.occupancy import occupancy
from reports.frames.waiting_time import waiting_time


@dataclass(frozen=True)
class Report:
    slug: str
    title: str
    build: Callable[[Scope, Filters], Result]
    columns: dict  # key → label (lazy)
    chart: str  # name of the function in reports.charts
    description: str = ""


REPORTS: dict[str, Report] = {
    r.slug: r
    for r in [
        Report(
            "occupancy",
            _("Occupancy"),
            occupancy,
            {
                "month": _("Month"),
                "location": _("Location"),
                "course": _("Course"),
                "capacity": _("Capacity"),
                "learners": _("Learners"),
                "occupancy_pct": _("Occupancy %"),
            },
            "occupancy_chart",
            _("Learners per course and month against capacity, by location."),
        ),
        Report(
            "attendance",
            _("Attendance"),
            attendance,
            {
                "group": _("Group"),
                "learners": _("Learners"),
                "ue_held": _("UE held"),
                "ue_attended": _("UE attended"),
                "rate_pct": _("Attendance %"),
                "excused_days": _("Excused days"),
                "unexcused_days": _("Unexcused days"),
            },
            "attendance_chart",
            _("UE attended against UE held, per course, module, location or learner group."),
        ),
        Report(
            "dropouts",
            _("Drop-outs"),
            dropouts,
            {"reason": _("Reason"), "withdrawals": _("Withdrawals"), "share_pct": _("Share %")},
            "dropouts_chart",
            _("Withdrawals in the period by reason category."),
        ),
        Report(
            "waiting",
            _("Waiting time"),
            waiting_time,
            {
                "course_type": _("Course type"),
                "learners": _("Learners"),
                "mean_days": _("Mean days"),
                "median_days": _("Median days"),
                "max_days": _("Longest (days)"),
                "limit_weeks": _("Start limit (weeks)"),
                "within_limit_pct": _("Started in time %"),
            },
            "waiting_chart",
            _("Days from registration to the first course start."),
        ),
        Report(
            "internships",
            _("Internship outcomes"),
            internships,
            {
                "outcome": _("Outcome"),
                "placements": _("Placements"),
                "learners": _("Learners"),
                "mean_weeks": _("Mean weeks"),
                "mean_hours_per_week": _("Mean hours per week"),
            },
            "internships_chart",
            _("Placements overlapping the period, by outcome."),
        ),
    ]
}
