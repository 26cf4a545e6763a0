"""Occupancy: learners per course and month against the course's capacity."""

from __future__ import annotations

import pandas as pd
from django.db.models import Q

from courses.models import Course
from enrolment.models import Enrolment
from reports.access import Scope
from reports.frames.base import (
    COURSE_COLUMNS,
    SEATED,
    Filters,
    Result,
    as_dates,
    course_labels,
    frame,
    percent,
    scoped_courses,
)


def occupancy(scope: Scope, filters: Filters) -> Result:
    """Learners per course and month against the course's capacity.

    A learner counts in a month when their seat overlapped it: entry (their entry date, else the
    course start) on or before the month's end and exit (left on, else course end) on or after
    its start. Withdrawn enrolments without a leaving date are left out.
    """
    months = pd.period_range(filters.date_from, filters.date_to, freq="M")
    mdf = pd.DataFrame(
        {
            "month": months.strftime("%Y-%m"),
            "m_start": months.start_time.normalize(),
            "m_end": months.end_time.normalize(),
        }
    )
    courses_qs = (
        scoped_courses(scope, filters)
        .exclude(status=Course.Status.CANCELLED)
        .filter(start_date__lte=filters.date_to)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=filters.date_from))
    )
    courses = frame(courses_qs, COURSE_COLUMNS)
    columns = ["month", "location", "course", "capacity", "learners", "occupancy_pct"]
    if courses.empty:
        return Result(pd.DataFrame(columns=columns), {"learners": 0, "capacity": 0})
    courses["course"] = course_labels(courses)
    courses["c_start"] = as_dates(courses["start_date"])
    courses["c_end"] = as_dates(courses["end_date"])
    cm = courses.merge(mdf, how="cross")
    cm = cm[(cm.c_start <= cm.m_end) & (cm.c_end.isna() | (cm.c_end >= cm.m_start))]

    enr = frame(
        Enrolment.objects.filter(course__in=courses_qs.values("pk"), status__in=SEATED),
        ["course_id", "status", "start_date", "ended_on"],
    )
    enr = enr.merge(courses[["id", "c_start", "c_end"]], left_on="course_id", right_on="id")
    enr["entry"] = as_dates(enr["start_date"]).fillna(enr["c_start"])
    enr["exit"] = as_dates(enr["ended_on"]).fillna(enr["c_end"])
    enr = enr[~((enr.status == Enrolment.Status.WITHDRAWN) & enr["ended_on"].isna())]
    em = enr.merge(mdf, how="cross")
    em = em[(em.entry <= em.m_end) & (em.exit.isna() | (em.exit >= em.m_start))]
    counts = em.groupby(["course_id", "month"]).size().rename("learners").reset_index()
    cm = cm.merge(counts, left_on=["id", "month"], right_on=["course_id", "month"], how="left")
    cm["learners"] = cm["learners"].fillna(0).astype(int)
    cm["location"] = cm["location__name"]
    cm["occupancy_pct"] = percent(cm["learners"].values, cm["capacity"].values).values
    df = cm.sort_values(["month", "location", "course"])[columns].reset_index(drop=True)
    by_loc = df.groupby(["month", "location"], as_index=False)[["learners", "capacity"]].sum()
    by_loc["occupancy_pct"] = percent(by_loc["learners"].values, by_loc["capacity"].values).values
    return Result(
        df,
        {"learners": int(df["learners"].sum()), "capacity": int(df["capacity"].sum())},
        chart_df=by_loc,
    )
