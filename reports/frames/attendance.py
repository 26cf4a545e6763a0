"""Attendance: UE attended against UE held, per course, module, location or learner group
(aggregates only)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from django.db.models import Count, FloatField, Q, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import SELF_METHODS, AttendanceRecord, Code, SessionSignOff
from courses.models import Session
from enrolment.models import Enrolment
from people.models import Entitlement
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

GROUPINGS = {
    "course": _("Course"),
    "module": _("Module (Kursabschnitt)"),
    "obligation": _("Entitled or obliged"),
    "language": _("Preferred language"),
    "location": _("Location"),
}


def attendance(scope: Scope, filters: Filters) -> Result:
    """Attendance rate (UE attended / UE held) per course, module, location or learner group.

    The rule is that of ``attendance.selectors.attendance_figures``: UE held are the UE of the
    non-cancelled sessions of the course from the learner's entry date to their leaving date
    (and up to today); attended UE are those of the register's X and P records. The register
    (the big table) is summed in the database per enrolment and module; pandas joins the
    small results. Self check-ins count once the day is signed (as in ``counted_records``).
    """
    from django.conf import settings

    until = min(filters.date_to, timezone.localdate())
    group_by = filters.group_by if filters.group_by in GROUPINGS else "course"
    columns = [
        "group",
        "learners",
        "ue_held",
        "ue_attended",
        "rate_pct",
        "excused_days",
        "unexcused_days",
    ]
    courses_qs = scoped_courses(scope, filters)
    course_ids = courses_qs.values("pk")
    sessions = frame(
        Session.objects.held().filter(
            course__in=course_ids, date__gte=filters.date_from, date__lte=until
        ),
        ["course_id", "module_id", "date", "ue"],
    )
    enr = frame(
        Enrolment.objects.filter(course__in=course_ids, status__in=SEATED),
        ["id", "course_id", "learner_id", "start_date", "ended_on"],
    )
    records = frame(
        AttendanceRecord.objects.filter(
            _COUNTED,
            enrolment__course__in=course_ids,
            session__date__gte=filters.date_from,
            session__date__lte=until,
        )
        .values("enrolment_id", "session__module_id")
        .annotate(
            attended=Sum(
                Cast("ue_attended", FloatField()),
                filter=Q(code__in=[Code.PRESENT, Code.INTERNSHIP]),
            ),
            excused=Count("id", filter=Q(code=Code.EXCUSED)),
            unexcused=Count("id", filter=Q(code=Code.UNEXCUSED)),
        )
        .order_by(),
        ["enrolment_id", "session__module_id", "attended", "excused", "unexcused"],
    ).rename(columns={"enrolment_id": "id", "session__module_id": "module_id"})

    held = _held_ue(sessions, enr)
    per = held.merge(records, on=["id", "module_id"], how="outer")
    if per.empty:
        return Result(pd.DataFrame(columns=columns), {"rate_pct": None})
    per = per.fillna({"ue_held": 0, "attended": 0.0, "excused": 0, "unexcused": 0})
    # an enrolment counts where UE were held for it or the register has an entry
    per = per[(per["ue_held"] > 0) | per["id"].isin(records["id"])]
    if per.empty:
        return Result(pd.DataFrame(columns=columns), {"rate_pct": None})
    per = per.merge(enr[["id", "course_id", "learner_id"]], on="id", how="left")

    if group_by == "course" or group_by == "location":
        courses = frame(courses_qs, COURSE_COLUMNS)
        courses["label"] = (
            course_labels(courses) if group_by == "course" else courses["location__name"]
        )
        keys = per["course_id"].map(courses.set_index("id")["label"])
    elif group_by == "module":
        from courses.models import Module

        mods = frame(
            Module.objects.filter(pk__in=per["module_id"].dropna().astype(int).unique().tolist()),
            ["id", "name", "course_type__name"],
        )
        mods["label"] = mods["name"] + " (" + mods["course_type__name"] + ")"
        keys = per["module_id"].map(mods.set_index("id")["label"])
    elif group_by == "obligation":
        obliged = set(
            Entitlement.objects.filter(
                learner_id__in=per["learner_id"].dropna().astype(int).unique().tolist(),
                kind=Entitlement.Kind.OBLIGATION,
                issued_on__lte=until,
            )
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=filters.date_from))
            .values_list("learner_id", flat=True)
        )
        keys = (
            per["learner_id"]
            .isin(obliged)
            .map({True: str(_("Obliged")), False: str(_("Entitled (not obliged)"))})
        )
    else:  # language
        from people.models import Learner

        langs = dict(settings.LANGUAGES)
        learners = dict(  # aggregates count restricted learners too (all_objects)
            Learner.all_objects.filter(
                pk__in=per["learner_id"].dropna().astype(int).unique().tolist()
            ).values_list("pk", "preferred_language")
        )
        keys = per["learner_id"].map(learners).map(lambda c: langs.get(c, c))
    per["group"] = keys.fillna("—").astype(str)
    df = per.groupby("group", as_index=False).agg(
        learners=("id", "nunique"),
        ue_held=("ue_held", "sum"),
        ue_attended=("attended", "sum"),
        excused_days=("excused", "sum"),
        unexcused_days=("unexcused", "sum"),
    )
    df["ue_held"] = df["ue_held"].astype(int)
    df["ue_attended"] = df["ue_attended"].astype(float).round(2)
    df["excused_days"] = df["excused_days"].astype(int)
    df["unexcused_days"] = df["unexcused_days"].astype(int)
    df["rate_pct"] = percent(df["ue_attended"].values, df["ue_held"].values).values
    df = df.sort_values("group")[columns].reset_index(drop=True)
    total_held = int(df["ue_held"].sum())
    total_att = float(df["ue_attended"].sum())
    return Result(
        df,
        {
            "learners": int(per["id"].nunique()),
            "ue_held": total_held,
            "ue_attended": round(total_att, 2),
            "rate_pct": round(100 * total_att / total_held, 1) if total_held else None,
        },
    )


def _held_ue(sessions: pd.DataFrame, enr: pd.DataFrame) -> pd.DataFrame:
    """UE held per enrolment and module: the course's sessions inside the learner's stay.

    Vectorised prefix sums instead of an enrolments × sessions join: sessions are sorted by
    (course, module, day) under one integer key, and each enrolment's window [entry, leaving]
    is two binary searches per module of its course.
    """
    out_columns = ["id", "module_id", "ue_held"]
    if sessions.empty or enr.empty:
        return pd.DataFrame(columns=out_columns)
    s = sessions.copy()
    s["day"] = as_dates(s["date"]).values.astype("datetime64[D]").astype(np.int64)
    groups = s[["course_id", "module_id"]].drop_duplicates().reset_index(drop=True)
    groups["gid"] = np.arange(len(groups), dtype=np.int64)
    s = s.merge(groups, on=["course_id", "module_id"])
    span = np.int64(1 << 20)  # days since 1970 stay far below 2**20
    s["key"] = s["gid"] * span + s["day"]
    s = s.sort_values("key")
    keys = s["key"].to_numpy()
    prefix = np.concatenate([[0], np.cumsum(s["ue"].to_numpy(dtype=np.int64))])
    pairs = enr[["id", "course_id", "start_date", "ended_on"]].merge(groups, on="course_id")
    entry = as_dates(pairs["start_date"]).values.astype("datetime64[D]").astype(np.int64)
    leave = as_dates(pairs["ended_on"]).values.astype("datetime64[D]").astype(np.int64)
    nat = np.iinfo(np.int64).min  # NaT as integer
    entry = np.where(entry == nat, 0, entry)
    leave = np.where(leave == nat, span - 1, leave)
    base = pairs["gid"].to_numpy(dtype=np.int64) * span
    lo = np.searchsorted(keys, base + entry, side="left")
    hi = np.searchsorted(keys, base + leave, side="right")
    pairs["ue_held"] = np.where(hi > lo, prefix[hi] - prefix[lo], 0)
    return pairs[out_columns]


#: The register rows that count, as ``attendance.selectors.counted_records`` defines them (self
#: check-ins only once the day is signed), written as ``IN (signed days)`` instead of a join:
#: on a million rows the join costs a quarter of the report's time. A test pins both together.
_COUNTED = ~Q(method__in=SELF_METHODS) | Q(session__in=SessionSignOff.objects.values("session_id"))
