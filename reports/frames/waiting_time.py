"""Waiting time: days from registration to the first course start, per course type."""

from __future__ import annotations

import pandas as pd

from enrolment.models import Enrolment
from reports.access import Scope
from reports.frames.base import SEATED, Filters, Result, as_dates, frame, percent, scoped_courses


def waiting_time(scope: Scope, filters: Filters) -> Result:
    """Days from registration to the first start (entry date, else course start) per course type.

    Each learner counts once, with their first start in the courses the scope covers; the
    period filters that start. ``within_limit_pct`` is the share that started within the
    programme's deadline (6 weeks integration course, 4 weeks BSK).
    """
    columns = [
        "course_type",
        "learners",
        "mean_days",
        "median_days",
        "max_days",
        "limit_weeks",
        "within_limit_pct",
    ]
    enr = frame(
        Enrolment.objects.filter(
            course__in=scoped_courses(scope, filters).values("pk"), status__in=SEATED
        ),
        [
            "learner_id",
            "learner__registered_on",
            "start_date",
            "course__start_date",
            "course__course_type__name",
            "course__course_type__programme__start_deadline_weeks",
        ],
    )
    if enr.empty:
        return Result(pd.DataFrame(columns=columns), {"learners": 0})
    enr["entry"] = as_dates(enr["start_date"]).fillna(as_dates(enr["course__start_date"]))
    first = enr.sort_values("entry").drop_duplicates("learner_id", keep="first")
    first = first[
        (first["entry"] >= pd.Timestamp(filters.date_from))
        & (first["entry"] <= pd.Timestamp(filters.date_to))
    ].copy()
    if first.empty:
        return Result(pd.DataFrame(columns=columns), {"learners": 0})
    first["days"] = (first["entry"] - as_dates(first["learner__registered_on"])).dt.days.clip(
        lower=0
    )
    first["weeks"] = first["course__course_type__programme__start_deadline_weeks"]
    first["within"] = first["days"] <= first["weeks"] * 7
    df = first.groupby("course__course_type__name", as_index=False).agg(
        learners=("learner_id", "nunique"),
        mean_days=("days", "mean"),
        median_days=("days", "median"),
        max_days=("days", "max"),
        limit_weeks=("weeks", "first"),
        within=("within", "sum"),
    )
    df = df.rename(columns={"course__course_type__name": "course_type"})
    df["mean_days"] = df["mean_days"].astype(float).round(1)
    df["median_days"] = df["median_days"].astype(float).round(1)
    df["max_days"] = df["max_days"].astype(int)
    df["limit_weeks"] = df["limit_weeks"].astype(int)
    df["within_limit_pct"] = percent(df["within"].values, df["learners"].values).values
    df = df.sort_values("course_type")[columns].reset_index(drop=True)
    return Result(
        df,
        {
            "learners": int(first["learner_id"].nunique()),
            "median_days": float(first["days"].median()),
        },
        chart_df=first[["course__course_type__name", "days"]],
    )
