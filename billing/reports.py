"""The revenue reports of billing as pandas DataFrames, with charts and one XLSX, like the course
and volunteer reports: revenue per module, course, location and month (expected vs billed vs
paid), the share of billable UE lost to unexcused absence, and the claims held back by pre-check
findings.

The figures come from ``billing.selectors.revenue`` (a fixed number of queries); this module
only shapes them. It imports pandas and matplotlib: the views import it inside their bodies.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import pandas as pd
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from billing.selectors.revenue import ModuleRevenue, Revenue
from core.charts import empty_chart, svg_uri
from core.spreadsheets import workbook_bytes

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "lernbruecke-billing"

PALETTE = ["#0b5cad", "#1a7f37", "#bf8700", "#8250df", "#b3261e"]
#: The money and UE columns summed per course, location and month.
SUMMED = [
    "expected",
    "billed",
    "bamf_paid",
    "contributions_expected",
    "contributions_paid",
    "billable_ue",
    "lost_ue",
]


def _labels() -> dict[str, str]:
    return {
        "course": _("Course"),
        "module": _("Module"),
        "location": _("Location"),
        "month": _("Month"),
        "first_day": _("First day"),
        "last_day": _("Last day"),
        "status": _("Claim"),
        "expected": _("Expected reimbursement (€)"),
        "billed": _("Billed (€)"),
        "bamf_paid": _("Paid by BAMF (€)"),
        "contributions_expected": _("Own contributions due (€)"),
        "contributions_paid": _("Own contributions paid (€)"),
        "billable_ue": _("Billable UE"),
        "lost_ue": _("UE lost to unexcused absence"),
        "lost_pct": _("Lost (%)"),
        "open_findings": _("Open findings"),
        "at_stake": _("Reimbursement at stake (€)"),
    }


def _status(row: ModuleRevenue) -> str:
    if row.issued:
        return _("Issued")
    if row.status:
        return _("Draft")
    return _("No claim yet") if row.finished else _("Running")


def modules_frame(revenue: Revenue) -> pd.DataFrame:
    """One row per module: its figures as numbers (euros and UE as floats for the sheet)."""
    columns = ["course", "module", "location", "month", "first_day", "last_day", "status"]
    columns += [*SUMMED, "lost_pct"]
    rows = [
        {
            "course": str(r.course),
            "module": r.module.name,
            "location": r.location,
            "month": r.month,
            "first_day": r.first_day,
            "last_day": r.last_day,
            "status": _status(r),
            "expected": float(r.expected),
            "billed": float(r.billed),
            "bamf_paid": float(r.bamf_paid),
            "contributions_expected": float(r.expected_contributions),
            "contributions_paid": float(r.contributions_paid),
            "billable_ue": float(r.billable_ue),
            "lost_ue": float(r.lost_ue),
            "lost_pct": None if r.lost_share is None else round(100 * float(r.lost_share), 1),
        }
        for r in revenue.modules
    ]
    return pd.DataFrame(rows, columns=columns)


def _lost_pct(df: pd.DataFrame) -> pd.Series:
    due = df["billable_ue"] + df["lost_ue"]
    return (100 * df["lost_ue"] / due.where(due > 0)).round(1)


def grouped(modules: pd.DataFrame, by: str) -> pd.DataFrame:
    """The modules' figures summed per ``by`` (course, location or month), with the lost share."""
    columns = [by, *SUMMED, "lost_pct"]
    if modules.empty:
        return pd.DataFrame(columns=columns)
    out = modules.groupby(by, sort=True)[SUMMED].sum().reset_index()
    out[SUMMED[:5]] = out[SUMMED[:5]].round(2)
    out["lost_pct"] = _lost_pct(out)
    return out[columns]


def held_back_frame(revenue: Revenue) -> pd.DataFrame:
    """Draft claims of finished modules with findings nobody acknowledged, largest sum first."""
    columns = ["course", "module", "location", "last_day", "open_findings", "at_stake"]
    rows = [
        {
            "course": str(r.course),
            "module": r.module.name,
            "location": r.location,
            "last_day": r.last_day,
            "open_findings": r.open_findings,
            "at_stake": float(r.expected),
        }
        for r in revenue.modules
        if r.held_back
    ]
    df = pd.DataFrame(rows, columns=columns)
    return df.sort_values(["at_stake", "last_day"], ascending=[False, True]).reset_index(drop=True)


@dataclass(frozen=True)
class Table:
    slug: str
    title: str
    frame: pd.DataFrame


def tables(revenue: Revenue) -> list[Table]:
    """Every table of the report, in the order of the page and of the workbook's sheets."""
    modules = modules_frame(revenue)
    return [
        Table("months", _("Revenue per month"), grouped(modules, "month")),
        Table("courses", _("Revenue per course"), grouped(modules, "course")),
        Table("locations", _("Revenue per location"), grouped(modules, "location")),
        Table("modules", _("Revenue per module"), modules),
        Table("held-back", _("Claims held back by pre-check findings"), held_back_frame(revenue)),
    ]


def labelled(df: pd.DataFrame) -> pd.DataFrame:
    labels = _labels()
    return df.rename(columns={c: labels.get(c, c) for c in df.columns})


def to_xlsx(revenue: Revenue) -> bytes:
    return workbook_bytes({t.title: labelled(t.frame) for t in tables(revenue)})


# --- charts ------------------------------------------------------------------------------------


def _axis(ax) -> None:
    ax.tick_params(axis="x", labelrotation=45)
    ax.spines[["top", "right"]].set_visible(False)


def money_chart(months: pd.DataFrame) -> str:
    """Per month: expected, billed and paid by BAMF, side by side."""
    if months.empty:
        return empty_chart()
    fig = Figure(figsize=(7, 3.2))
    ax = fig.add_subplot()
    x = range(len(months))
    series = [
        ("expected", _("Expected")),
        ("billed", _("Billed")),
        ("bamf_paid", _("Paid by BAMF")),
    ]
    width = 0.8 / len(series)
    for i, (column, label) in enumerate(series):
        ax.bar([p + i * width for p in x], months[column], width, label=label, color=PALETTE[i])
    ax.set_xticks([p + width for p in x], list(months["month"]))
    ax.set_ylabel("€")
    ax.legend(frameon=False, fontsize=8)
    _axis(ax)
    return svg_uri(fig)


def lost_chart(months: pd.DataFrame) -> str:
    """Per month: the share of billable UE lost to unexcused absence."""
    shares = months.dropna(subset=["lost_pct"]) if not months.empty else months
    if shares.empty:
        return empty_chart()
    fig = Figure(figsize=(7, 2.6))
    ax = fig.add_subplot()
    ax.bar(list(shares["month"]), shares["lost_pct"], color=PALETTE[4])
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_ylim(bottom=0)
    _axis(ax)
    return svg_uri(fig)


def page(revenue: Revenue) -> dict:
    """What the report page shows: the charts (from the months) and every table as text cells."""
    shown = tables(revenue)
    months = shown[0].frame
    labels = _labels()
    return {
        "charts": {
            "money": money_chart(months),
            "lost": lost_chart(months),
        },
        "tables": [
            {
                "slug": t.slug,
                "title": t.title,
                "columns": [(labels.get(c, c), c not in TEXT) for c in t.frame.columns],
                "rows": [
                    [
                        (_cell(c, v), c not in TEXT)
                        for c, v in zip(t.frame.columns, row, strict=True)
                    ]
                    for row in t.frame.itertuples(index=False)
                ],
            }
            for t in shown
        ],
    }


#: Columns of text (the others are figures, aligned to the right).
TEXT = {"course", "module", "location", "month", "status", "first_day", "last_day"}
#: Columns shown with two decimals (euros); the share with one; UE as they come.
EUROS = {
    "expected",
    "billed",
    "bamf_paid",
    "contributions_expected",
    "contributions_paid",
    "at_stake",
}


def _cell(column: str, value) -> str:
    from django.utils.formats import number_format

    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, float):
        places = 2 if column in EUROS else 1 if column == "lost_pct" else None
        if places is None:
            places = 0 if value == int(value) else 2
        return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value)
