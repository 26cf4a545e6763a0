"""Report figures as pandas DataFrames, built from ``values()`` querysets (never row by row).

Every builder takes a :class:`~reports.access.Scope` (whose providers and courses) and
:class:`Filters` (period, location, course type) and returns a :class:`Result`: a DataFrame
whose columns are the stable keys listed in ``Report.columns``, plus a few totals. Pages,
exports, the API and the monthly workbook all show the same DataFrame, so their numbers agree.

Only aggregates leave this module (per course, location, module, learner group, reason …):
no row names a learner, so the same figures can be shown to network viewers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Count, Exists, FloatField, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models import SELF_METHODS, AttendanceRecord, Code, SessionSignOff
from courses.models import Course, Session
from enrolment.models import Enrolment
from internships.models import Placement
from people.models import Entitlement
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


def _frame(qs: QuerySet, columns: list[str]) -> pd.DataFrame:
    """A DataFrame from ``qs.values_list(*columns)`` (tuples: cheaper than dicts)."""
    return pd.DataFrame.from_records(list(qs.values_list(*columns)), columns=columns)


def _dates(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series, errors="coerce")


def _course_labels(df: pd.DataFrame) -> pd.Series:
    """Course.__str__ rebuilt from values (title, else type · town · start)."""
    fallback = (
        df["course_type__name"].astype(str)
        + " · "
        + df["location__town"].astype(str)
        + " · "
        + _dates(df["start_date"]).dt.strftime("%d.%m.%Y")
    )
    return df["title"].where(df["title"].astype(bool), fallback)


def _pct(part, whole) -> pd.Series:
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


# --- occupancy ---------------------------------------------------------------------------


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
    courses = _frame(courses_qs, COURSE_COLUMNS)
    columns = ["month", "location", "course", "capacity", "learners", "occupancy_pct"]
    if courses.empty:
        return Result(pd.DataFrame(columns=columns), {"learners": 0, "capacity": 0})
    courses["course"] = _course_labels(courses)
    courses["c_start"] = _dates(courses["start_date"])
    courses["c_end"] = _dates(courses["end_date"])
    cm = courses.merge(mdf, how="cross")
    cm = cm[(cm.c_start <= cm.m_end) & (cm.c_end.isna() | (cm.c_end >= cm.m_start))]

    enr = _frame(
        Enrolment.objects.filter(course__in=courses_qs.values("pk"), status__in=SEATED),
        ["course_id", "status", "start_date", "ended_on"],
    )
    enr = enr.merge(courses[["id", "c_start", "c_end"]], left_on="course_id", right_on="id")
    enr["entry"] = _dates(enr["start_date"]).fillna(enr["c_start"])
    enr["exit"] = _dates(enr["ended_on"]).fillna(enr["c_end"])
    enr = enr[~((enr.status == Enrolment.Status.WITHDRAWN) & enr["ended_on"].isna())]
    em = enr.merge(mdf, how="cross")
    em = em[(em.entry <= em.m_end) & (em.exit.isna() | (em.exit >= em.m_start))]
    counts = em.groupby(["course_id", "month"]).size().rename("learners").reset_index()
    cm = cm.merge(counts, left_on=["id", "month"], right_on=["course_id", "month"], how="left")
    cm["learners"] = cm["learners"].fillna(0).astype(int)
    cm["location"] = cm["location__name"]
    cm["occupancy_pct"] = _pct(cm["learners"].values, cm["capacity"].values).values
    df = cm.sort_values(["month", "location", "course"])[columns].reset_index(drop=True)
    by_loc = df.groupby(["month", "location"], as_index=False)[["learners", "capacity"]].sum()
    by_loc["occupancy_pct"] = _pct(by_loc["learners"].values, by_loc["capacity"].values).values
    return Result(
        df,
        {"learners": int(df["learners"].sum()), "capacity": int(df["capacity"].sum())},
        chart_df=by_loc,
    )


# --- attendance --------------------------------------------------------------------------

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
    sessions = _frame(
        Session.objects.held().filter(
            course__in=course_ids, date__gte=filters.date_from, date__lte=until
        ),
        ["course_id", "module_id", "date", "ue"],
    )
    enr = _frame(
        Enrolment.objects.filter(course__in=course_ids, status__in=SEATED),
        ["id", "course_id", "learner_id", "start_date", "ended_on"],
    )
    records = _frame(
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
        courses = _frame(courses_qs, COURSE_COLUMNS)
        courses["label"] = (
            _course_labels(courses) if group_by == "course" else courses["location__name"]
        )
        keys = per["course_id"].map(courses.set_index("id")["label"])
    elif group_by == "module":
        from courses.models import Module

        mods = _frame(
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
        learners = dict(
            Learner.objects.filter(
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
    df["rate_pct"] = _pct(df["ue_attended"].values, df["ue_held"].values).values
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
    s["day"] = _dates(s["date"]).values.astype("datetime64[D]").astype(np.int64)
    groups = s[["course_id", "module_id"]].drop_duplicates().reset_index(drop=True)
    groups["gid"] = np.arange(len(groups), dtype=np.int64)
    s = s.merge(groups, on=["course_id", "module_id"])
    span = np.int64(1 << 20)  # days since 1970 stay far below 2**20
    s["key"] = s["gid"] * span + s["day"]
    s = s.sort_values("key")
    keys = s["key"].to_numpy()
    prefix = np.concatenate([[0], np.cumsum(s["ue"].to_numpy(dtype=np.int64))])
    pairs = enr[["id", "course_id", "start_date", "ended_on"]].merge(groups, on="course_id")
    entry = _dates(pairs["start_date"]).values.astype("datetime64[D]").astype(np.int64)
    leave = _dates(pairs["ended_on"]).values.astype("datetime64[D]").astype(np.int64)
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


# --- drop-outs ---------------------------------------------------------------------------


def dropouts(scope: Scope, filters: Filters) -> Result:
    """Withdrawals in the period by reason category (left on, else the day of the change)."""
    columns = ["reason", "withdrawals", "share_pct"]
    qs = Enrolment.objects.filter(
        course__in=scoped_courses(scope, filters).values("pk"),
        status=Enrolment.Status.WITHDRAWN,
    ).filter(
        Q(ended_on__gte=filters.date_from, ended_on__lte=filters.date_to)
        | Q(
            ended_on__isnull=True,
            updated_at__date__gte=filters.date_from,
            updated_at__date__lte=filters.date_to,
        )
    )
    counts = dict(
        qs.values("withdrawal_reason")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("withdrawal_reason", "n")
    )
    reasons = dict(Enrolment.WithdrawalReason.choices)
    keys = list(reasons) + sorted(k for k in counts if k not in reasons)
    df = pd.DataFrame(
        {
            "reason": [str(reasons.get(k, k)) for k in keys],
            "withdrawals": [int(counts.get(k, 0)) for k in keys],
        }
    )
    total = int(df["withdrawals"].sum())
    df["share_pct"] = _pct(df["withdrawals"].values, [total] * len(df)).values
    return Result(df[columns], {"withdrawals": total})


# --- waiting time --------------------------------------------------------------------------


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
    enr = _frame(
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
    enr["entry"] = _dates(enr["start_date"]).fillna(_dates(enr["course__start_date"]))
    first = enr.sort_values("entry").drop_duplicates("learner_id", keep="first")
    first = first[
        (first["entry"] >= pd.Timestamp(filters.date_from))
        & (first["entry"] <= pd.Timestamp(filters.date_to))
    ].copy()
    if first.empty:
        return Result(pd.DataFrame(columns=columns), {"learners": 0})
    first["days"] = (first["entry"] - _dates(first["learner__registered_on"])).dt.days.clip(lower=0)
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
    df["within_limit_pct"] = _pct(df["within"].values, df["learners"].values).values
    df = df.sort_values("course_type")[columns].reset_index(drop=True)
    return Result(
        df,
        {
            "learners": int(first["learner_id"].nunique()),
            "median_days": float(first["days"].median()),
        },
        chart_df=first[["course__course_type__name", "days"]],
    )


# --- internships -----------------------------------------------------------------------------


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
    pl = _frame(qs, [*fields, "outcome"] if with_outcome else fields)
    if pl.empty:
        return Result(pd.DataFrame(columns=columns), {"placements": 0})
    statuses = {k: str(v) for k, v in Placement.Status.choices}
    label = pl["status"].map(lambda v: statuses.get(v, v))
    if with_outcome:
        outcomes = {k: str(v) for k, v in Placement._meta.get_field("outcome").choices}
        has = pl["outcome"].fillna("").astype(bool)
        label = label.where(~has, pl["outcome"].map(lambda v: outcomes.get(v, v)))
    pl["outcome"] = label
    pl["weeks"] = (_dates(pl["end_date"]) - _dates(pl["start_date"])).dt.days.add(1) / 7
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


# --- registry ----------------------------------------------------------------------------------


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


def labelled(report: Report, df: pd.DataFrame) -> pd.DataFrame:
    """The DataFrame with translated column labels (for exports)."""
    return df.rename(columns={k: str(v) for k, v in report.columns.items()})
