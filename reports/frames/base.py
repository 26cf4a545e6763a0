"""Shared pieces of the report builders: filters, the result, the scope's courses, and small
DataFrame helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from django.db.models import QuerySet
from django.utils import timezone

from courses.models import Course
from enrolment.models import Enrolment
from reports.access import Scope

#: Enrolments that took (or take) a seat: they count for occupancy, attendance and start dates.
SEATED = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN)


@dataclass(frozen=True)
class Filters:
    date_from: dt.date
    date_to: dt.date
    location_id: int | None = None
    course_type: str | None = None  # CourseType.code (all rule versions of that type)
    group_by: str = "course"  # attendance report only

    @classmethod
    def default(cls, today: dt.date | None = None, **kw) -> Filters:
        """The last twelve calendar months up to today."""
        today = today or timezone.localdate()
        start = (pd.Timestamp(today).to_period("M") - 11).start_time.date()
        return cls(date_from=start, date_to=today, **kw)

    @classmethod
    def month(cls, year: int, month: int) -> Filters:
        start = dt.date(year, month, 1)
        end = (pd.Timestamp(start) + pd.offsets.MonthEnd(0)).date()
        return cls(date_from=start, date_to=end)


@dataclass
class Result:
    df: pd.DataFrame
    totals: dict = field(default_factory=dict)
    chart_df: pd.DataFrame | None = None  # what the chart draws, when it differs from ``df``


def scoped_courses(scope: Scope, filters: Filters) -> QuerySet[Course]:
    qs = scope.courses()
    if filters.location_id:
        qs = qs.filter(location_id=filters.location_id)
    if filters.course_type:
        qs = qs.filter(course_type__code=filters.course_type)
    return qs


def frame(qs: QuerySet, columns: list[str]) -> pd.DataFrame:
    """A DataFrame from ``qs.values_list(*columns)`` (tuples: cheaper than dicts)."""
    return pd.DataFrame.from_records(list(qs.values_list(*columns)), columns=columns)


def as_dates(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, errors="coerce")


def course_labels(df: pd.DataFrame) -> pd.Series:
    """Course.__str__ rebuilt from values (title, else type · town · start)."""
    fallback = (
        df["course_type__name"].astype(str)
        + " · "
        + df["location__town"].astype(str)
        + " · "
        + as_dates(df["start_date"]).dt.strftime("%d.%m.%Y")
    )
    return df["title"].where(df["title"].astype(bool), fallback)


def percent(part, whole) -> pd.Series:
    whole = pd.Series(whole, dtype="float64")
    return (100 * pd.Series(part, dtype="float64") / whole.where(whole > 0)).round(1)


COURSE_COLUMNS = [
    "id",
    "title",
    "course_type__name",
    "location__name",
    "location__town",
    "start_date",
    "end_date",
    "capacity",
]
