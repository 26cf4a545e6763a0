"""Charts drawn on the server with matplotlib (Agg, object API: no pyplot global state).

Each function takes a report :class:`~reports.frames.Result` and returns an SVG ``data:`` URI
for an ``<img>`` (the CSP allows ``img-src data:``; an inline ``<svg>`` would carry a
``<style>`` element the CSP forbids).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from core.charts import empty_chart, svg_uri
from reports.frames import Result

matplotlib.rcParams["svg.hashsalt"] = "lernbruecke"  # stable ids: same data, same SVG
matplotlib.rcParams["font.size"] = 9

ACCENT = "#0b5cad"
MAX_BARS = 30
PALETTE = ["#0b5cad", "#1a7f37", "#b3261e", "#8250df", "#bf8700", "#1b7c83", "#59636e"]


def _barh(labels, values, xlabel: str, *, xmax: float | None = None) -> str:
    labels = [str(x)[:48] for x in labels]
    fig = Figure(figsize=(7, 0.9 + 0.35 * max(len(labels), 1)))
    ax = fig.add_subplot()
    ax.barh(labels[::-1], list(values)[::-1], color=ACCENT)
    ax.set_xlabel(xlabel)
    if xmax is not None:
        ax.set_xlim(0, xmax)
    ax.spines[["top", "right"]].set_visible(False)
    return svg_uri(fig)


def occupancy_chart(result: Result) -> str:
    df = result.chart_df
    if df is None or df.empty:
        return empty_chart(_("No data for these filters."))
    fig = Figure(figsize=(7, 3.2))
    ax = fig.add_subplot()
    pivot = df.pivot(index="month", columns="location", values="occupancy_pct").sort_index()
    for i, loc in enumerate(pivot.columns):
        ax.plot(pivot.index, pivot[loc], marker="o", label=str(loc), color=PALETTE[i % 7])
    ax.set_ylabel(_("Occupancy %"))
    ax.set_ylim(0, max(100, float(df["occupancy_pct"].max() or 0) + 5))
    ax.tick_params(axis="x", labelrotation=45)
    ax.legend(loc="best", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return svg_uri(fig)


def attendance_chart(result: Result) -> str:
    df = result.df
    if df.empty:
        return empty_chart(_("No data for these filters."))
    if len(df) > MAX_BARS:  # many courses: show the lowest rates, the table has all
        df = df.sort_values("rate_pct", na_position="first").head(MAX_BARS)
        label = _("Attendance %% (the %(n)s lowest)") % {"n": MAX_BARS}
    else:
        label = _("Attendance %")
    return _barh(df["group"], df["rate_pct"].fillna(0), label, xmax=100)


def dropouts_chart(result: Result) -> str:
    df = result.df
    if df.empty or not df["withdrawals"].sum():
        return empty_chart(_("No withdrawals in this period."))
    return _barh(df["reason"], df["withdrawals"], _("Withdrawals"))


def waiting_chart(result: Result) -> str:
    first = result.chart_df
    if first is None or first.empty:
        return empty_chart(_("No data for these filters."))
    fig = Figure(figsize=(7, 3.2))
    ax = fig.add_subplot()
    groups = sorted(first["course__course_type__name"].unique())
    data = [first.loc[first["course__course_type__name"] == g, "days"] / 7 for g in groups]
    ax.hist(
        data,
        bins=12,
        stacked=True,
        label=[str(g)[:40] for g in groups],
        color=PALETTE[: len(groups)] if len(groups) <= 7 else None,
    )
    ax.set_xlabel(_("Weeks from registration to start"))
    ax.set_ylabel(_("Learners"))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.axvline(6, color="#b3261e", linestyle="--", linewidth=1)
    ax.axvline(4, color="#bf8700", linestyle=":", linewidth=1)
    ax.legend(fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return svg_uri(fig)


def internships_chart(result: Result) -> str:
    df = result.df
    if df.empty:
        return empty_chart(_("No data for these filters."))
    return _barh(df["outcome"], df["placements"], _("Placements"))


def render(report, result: Result) -> str:
    return globals()[report.chart](result)
