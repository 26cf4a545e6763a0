"""Reports of volunteer work as pandas DataFrames, with charts (matplotlib, object API) and CSV
and XLSX files, like the course reports: volunteer hours by activity and month, tandems started
and ended, and the share of waiting-list learners who have a language buddy.

Only aggregates leave this module: no row names a volunteer or a learner. Each builder is a
fixed number of ``values_list`` queries, never row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import matplotlib
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from core.charts import empty_chart, svg_uri
from people.models import LearnerEvent
from volunteers.models import HoursEntry, Tandem

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "lernbruecke-volunteers"

PALETTE = ["#0b5cad", "#1a7f37", "#b3261e", "#8250df", "#bf8700", "#1b7c83", "#59636e"]
#: Events that take a learner off a waiting list (a seat, or leaving).
OFF_THE_LIST = (
    LearnerEvent.Type.ENROLLED,
    LearnerEvent.Type.WITHDRAWN,
    LearnerEvent.Type.TRANSFERRED,
    LearnerEvent.Type.COMPLETED,
)


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date

    @classmethod
    def last_twelve_months(cls, today: date) -> Period:
        start = (pd.Timestamp(today).to_period("M") - 11).start_time.date()
        return cls(start, today)

    def months(self) -> pd.DataFrame:
        months = pd.period_range(self.date_from, self.date_to, freq="M")
        return pd.DataFrame(
            {
                "month": months.strftime("%Y-%m"),
                "m_start": months.start_time.normalize(),
                "m_end": months.end_time.normalize(),
            }
        )


def _frame(qs, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(qs.values_list(*columns)), columns=columns)


def hours_by_activity(provider_ids: list[int], period: Period) -> pd.DataFrame:
    """Approved hours per month and activity (tandem meetings and other hours as their own)."""
    df = _frame(
        HoursEntry.objects.filter(
            volunteer__provider_id__in=provider_ids,
            status=HoursEntry.Status.APPROVED,
            date__gte=period.date_from,
            date__lte=period.date_to,
        ),
        ["date", "minutes", "source", "activity__course__title", "volunteer_id"],
    )
    columns = ["month", "activity", "hours", "volunteers", "entries"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    sources = {k: str(v) for k, v in HoursEntry.Source.choices}
    df["month"] = pd.to_datetime(df["date"]).dt.strftime("%Y-%m")
    df["activity"] = df["activity__course__title"].where(
        df["activity__course__title"].notna() & df["activity__course__title"].astype(bool),
        df["source"].map(sources),
    )
    out = (
        df.groupby(["month", "activity"])
        .agg(
            minutes=("minutes", "sum"),
            volunteers=("volunteer_id", "nunique"),
            entries=("date", "size"),
        )
        .reset_index()
    )
    out["hours"] = (out["minutes"] / 60).round(1)
    return out.sort_values(["month", "activity"])[columns].reset_index(drop=True)


def tandems_by_month(provider_ids: list[int], period: Period) -> pd.DataFrame:
    """Tandems started and ended per month, and how many were running at each month's end."""
    mdf = period.months()
    df = _frame(
        Tandem.objects.filter(provider_id__in=provider_ids, started_on__isnull=False),
        ["started_on", "ended_on"],
    )
    columns = ["month", "started", "ended", "running"]
    if df.empty:
        return mdf.assign(started=0, ended=0, running=0)[columns]
    start = pd.to_datetime(df["started_on"])
    end = pd.to_datetime(df["ended_on"])
    rows = []
    for m in mdf.itertuples():
        rows.append(
            {
                "month": m.month,
                "started": int(((start >= m.m_start) & (start <= m.m_end)).sum()),
                "ended": int(((end >= m.m_start) & (end <= m.m_end)).sum()),
                "running": int(((start <= m.m_end) & (end.isna() | (end > m.m_end))).sum()),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def waiting_with_buddy(provider_ids: list[int], period: Period) -> pd.DataFrame:
    """Per month: learners waiting on a waiting list at some point in it (from the learner
    event outbox: waitlisted, until enrolled, withdrawn, transferred or completed), and how
    many of them had a running tandem in that month."""
    mdf = period.months()
    columns = ["month", "waiting", "with_buddy", "share_pct"]
    events = _frame(
        LearnerEvent.objects.filter(
            learner__provider_id__in=provider_ids,
            type__in=[LearnerEvent.Type.WAITLISTED, *OFF_THE_LIST],
            occurred_at__date__lte=period.date_to,
        ).order_by("learner_id", "occurred_at", "id"),
        ["learner_id", "type", "occurred_at"],
    )
    if events.empty:
        return mdf.assign(waiting=0, with_buddy=0, share_pct=None)[columns]
    events["at"] = (
        pd.to_datetime(events["occurred_at"], utc=True).dt.tz_localize(None).dt.normalize()
    )
    spells = []  # (learner, from, until)
    for learner_id, group in events.groupby("learner_id", sort=False):
        began = None
        for row in group.itertuples():
            if row.type == LearnerEvent.Type.WAITLISTED:
                began = began if began is not None else row.at
            elif began is not None:
                spells.append((learner_id, began, row.at))
                began = None
        if began is not None:
            spells.append((learner_id, began, pd.NaT))
    spells_df = pd.DataFrame(spells, columns=["learner_id", "w_from", "w_to"])
    tandems = _frame(
        Tandem.objects.filter(provider_id__in=provider_ids, started_on__isnull=False),
        ["learner_id", "started_on", "ended_on"],
    )
    tandems["t_from"] = pd.to_datetime(tandems["started_on"])
    tandems["t_to"] = pd.to_datetime(tandems["ended_on"])
    rows = []
    for m in mdf.itertuples():
        waiting = spells_df[
            (spells_df.w_from <= m.m_end) & (spells_df.w_to.isna() | (spells_df.w_to >= m.m_start))
        ]["learner_id"].unique()
        buddies = tandems[
            (tandems.t_from <= m.m_end) & (tandems.t_to.isna() | (tandems.t_to >= m.m_start))
        ]["learner_id"].unique()
        n, with_buddy = len(waiting), len(set(waiting) & set(buddies))
        rows.append(
            {
                "month": m.month,
                "waiting": n,
                "with_buddy": with_buddy,
                "share_pct": round(100 * with_buddy / n, 1) if n else None,
            }
        )
    return pd.DataFrame(rows, columns=columns)


# --- charts ------------------------------------------------------------------------------------


def _months_axis(ax) -> None:
    ax.tick_params(axis="x", labelrotation=45)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)


def hours_chart(df: pd.DataFrame) -> str:
    if df.empty:
        return empty_chart()
    pivot = df.pivot_table(index="month", columns="activity", values="hours", aggfunc="sum").fillna(
        0
    )
    fig = Figure(figsize=(7, 3.2))
    ax = fig.add_subplot()
    bottom = None
    for i, name in enumerate(pivot.columns):
        ax.bar(pivot.index, pivot[name], bottom=bottom, label=str(name)[:40], color=PALETTE[i % 7])
        bottom = pivot[name] if bottom is None else bottom + pivot[name]
    ax.set_ylabel(_("Hours"))
    ax.legend(fontsize=8)
    _months_axis(ax)
    return svg_uri(fig)


def tandems_chart(df: pd.DataFrame) -> str:
    if df.empty or not (df["started"].sum() or df["running"].sum()):
        return empty_chart()
    fig = Figure(figsize=(7, 3.2))
    ax = fig.add_subplot()
    x = range(len(df))
    ax.bar([i - 0.2 for i in x], df["started"], width=0.4, label=_("started"), color=PALETTE[1])
    ax.bar([i + 0.2 for i in x], df["ended"], width=0.4, label=_("ended"), color=PALETTE[2])
    ax.plot(list(x), df["running"], marker="o", label=_("running"), color=PALETTE[0])
    ax.set_xticks(list(x), df["month"])
    ax.legend(fontsize=8)
    _months_axis(ax)
    return svg_uri(fig)


def share_chart(df: pd.DataFrame) -> str:
    if df.empty or not df["waiting"].sum():
        return empty_chart()
    fig = Figure(figsize=(7, 3.2))
    ax = fig.add_subplot()
    ax.plot(df["month"], df["share_pct"].fillna(0), marker="o", color=PALETTE[0])
    ax.set_ylabel(_("With a language buddy %"))
    ax.set_ylim(0, 100)
    _months_axis(ax)
    return svg_uri(fig)


@dataclass(frozen=True)
class VolunteerReport:
    slug: str
    title: str
    build: Callable[[list[int], Period], pd.DataFrame]
    chart: Callable[[pd.DataFrame], str]
    columns: dict


REPORTS = {
    r.slug: r
    for r in (
        VolunteerReport(
            "hours",
            gettext_lazy("Volunteer hours by activity and month"),
            hours_by_activity,
            hours_chart,
            {
                "month": gettext_lazy("Month"),
                "activity": gettext_lazy("Activity"),
                "hours": gettext_lazy("Hours"),
                "volunteers": gettext_lazy("Volunteers"),
                "entries": gettext_lazy("Entries"),
            },
        ),
        VolunteerReport(
            "tandems",
            gettext_lazy("Tandems started and ended"),
            tandems_by_month,
            tandems_chart,
            {
                "month": gettext_lazy("Month"),
                "started": gettext_lazy("Started"),
                "ended": gettext_lazy("Ended"),
                "running": gettext_lazy("Running at month end"),
            },
        ),
        VolunteerReport(
            "waiting",
            gettext_lazy("Waiting-list learners with a language buddy"),
            waiting_with_buddy,
            share_chart,
            {
                "month": gettext_lazy("Month"),
                "waiting": gettext_lazy("Learners waiting"),
                "with_buddy": gettext_lazy("With a language buddy"),
                "share_pct": gettext_lazy("Share %"),
            },
        ),
    )
}
