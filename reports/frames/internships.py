"""Internship outcomes: placements overlapping the period, by outcome."""

from __future__ import annotations

import pandas as pd
from django.db.models import Exists, OuterRef

from enrolment.models import Enrolment
from internships.models import Placement
from reports.access import Scope
from reports.frames.base import SEATED, Filters, Result, as_dates, frame, scoped_courses


def _has_outcome() -> bool:
    return "outcome" in {f.name for f in Placement._meta.get_fields()}


def internships(scope: Scope, filters: Filters) -> Result:
    """Placements overlapping the period by outcome (job offer, apprenticeship, none); a placement
    without an outcome yet counts under its status (running, aborted …).

    Placements belong to learners, not courses: the provider's learners count, and with a
    location/course-type filter or a teacher's scope only learners seated in those courses.
    """
    columns = ["outcome", "placements", "learners", "mean_weeks", "mean_hours_per_week"]
    qs = Placement.objects.filter(
        learner__provider_id__in=scope.provider_ids,
        start_date__lte=filters.date_to,
        end_date__gte=filters.date_from,
    )
    if scope.course_ids is not None or filters.location_id or filters.course_type:
        qs = qs.filter(
            Exists(
                Enrolment.objects.filter(
                    learner=OuterRef("learner"),
                    course__in=scoped_courses(scope, filters).values("pk"),
                    status__in=SEATED,
                )
            )
        )
    with_outcome = _has_outcome()
    fields = ["status", "learner_id", "start_date", "end_date", "hours_per_week"]
    pl = frame(qs, [*fields, "outcome"] if with_outcome else fields)
    if pl.empty:
        return Result(pd.DataFrame(columns=columns), {"placements": 0})
    statuses = {k: str(v) for k, v in Placement.Status.choices}
    label = pl["status"].map(lambda v: statuses.get(v, v))
    if with_outcome:
        outcomes = {k: str(v) for k, v in Placement._meta.get_field("outcome").choices}
        has = pl["outcome"].fillna("").astype(bool)
        label = label.where(~has, pl["outcome"].map(lambda v: outcomes.get(v, v)))
    pl["outcome"] = label
    pl["weeks"] = (as_dates(pl["end_date"]) - as_dates(pl["start_date"])).dt.days.add(1) / 7
    pl["hours"] = pl["hours_per_week"].astype(float)
    df = pl.groupby("outcome", as_index=False).agg(
        placements=("learner_id", "size"),
        learners=("learner_id", "nunique"),
        mean_weeks=("weeks", "mean"),
        mean_hours_per_week=("hours", "mean"),
    )
    df["mean_weeks"] = df["mean_weeks"].round(1)
    df["mean_hours_per_week"] = df["mean_hours_per_week"].round(1)
    df = df.sort_values("outcome")[columns].reset_index(drop=True)
    return Result(df, {"placements": int(df["placements"].sum())})
