"""Referral reports as pandas DataFrames, with charts (matplotlib, object API) and CSV and XLSX
files, like the other reports: referrals received per provider (accepted, declined, started,
lost, days from referral to course start: median and 90th percentile), declines by reason, and
the caseload per counsellor, for the staff's own providers or (network viewers and
coordinators) a whole network, with a total row for the network.

Only aggregates leave this module: no row names a referred person. Each builder is one
``values_list`` query, never row by row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

import matplotlib
import pandas as pd
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from core.charts import empty_chart, svg_uri
from referrals.models import DeclineReason, Referral, Status

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "lernbruecke-referrals"

PALETTE = ["#0b5cad", "#1a7f37", "#b3261e", "#8250df", "#bf8700", "#1b7c83"]


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date

    @classmethod
    def last_twelve_months(cls, today: date) -> Period:
        start = (pd.Timestamp(today).to_period("M") - 11).start_time.date()
        return cls(start, today)

    def q(self) -> Q:
        tz = timezone.get_current_timezone()
        start = datetime.combine(self.date_from, time.min, tzinfo=tz)
        end = datetime.combine(self.date_to, time.max, tzinfo=tz)
        return Q(sent_at__gte=start, sent_at__lte=end)


def _frame(qs, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(list(qs.values_list(*columns)), columns=columns)


@dataclass(frozen=True)
class Scope:
    """Whose referrals a report counts: those received by ``receiver_ids`` and, for the
    caseload, those sent by the counsellors and caseworkers of ``sender_ids``. ``network`` names
    the network(s) when the scope is a whole network (then a total row joins the providers)."""

    receiver_ids: tuple[int, ...]
    sender_ids: tuple[int, ...]
    network: str = ""


def received(provider_ids: list[int], period: Period, *, total: str = "") -> pd.DataFrame:
    """Per receiving provider: referrals received, accepted, declined, started, lost (declined,
    or stalled with no next step) and the days from referral to course start. With ``total``
    (a network's name) a last row counts the network as a whole: its median and 90th
    percentile are over all its referrals, not an average of the providers'."""
    df = _frame(
        Referral.objects.filter(period.q(), receiver_id__in=provider_ids),
        [
            "receiver__name",
            "status",
            "sent_at",
            "accepted_at",
            "declined_at",
            "course_started_at",
            "stalled_at",
        ],
    )
    columns = [
        "provider",
        "received",
        "accepted",
        "declined",
        "started",
        "lost",
        "days_median",
        "days_p90",
    ]
    if df.empty:
        return pd.DataFrame(columns=columns)
    df["accepted"] = df["accepted_at"].notna()
    df["declined"] = df["declined_at"].notna()
    df["started"] = df["course_started_at"].notna()
    df["lost"] = df["declined"] | (df["stalled_at"].notna() & (df["status"] != Status.CLOSED))
    started = df[df["started"]]
    days = (started["course_started_at"] - started["sent_at"]).dt.total_seconds() / 86400
    df["days"] = days
    if total:
        df = pd.concat([df, df.assign(receiver__name=total)], ignore_index=True)
    grouped = df.groupby("receiver__name", sort=False)
    out = pd.DataFrame(
        {
            "received": grouped.size(),
            "accepted": grouped["accepted"].sum(),
            "declined": grouped["declined"].sum(),
            "started": grouped["started"].sum(),
            "lost": grouped["lost"].sum(),
            "days_median": grouped["days"].median().round(1),
            "days_p90": grouped["days"].quantile(0.9).round(1),
        }
    ).reset_index(names="provider")
    providers = sorted(name for name in out["provider"] if name != total)
    order = {name: i for i, name in enumerate([*providers, total] if total else providers)}
    out = out.sort_values("provider", key=lambda col: col.map(order)).reset_index(drop=True)
    return out[columns]


def declines(provider_ids: list[int], period: Period) -> pd.DataFrame:
    """Declined referrals by reason (every reason of the list, zero included)."""
    df = _frame(
        Referral.objects.filter(
            period.q(), receiver_id__in=provider_ids, declined_at__isnull=False
        ),
        ["decline_reason"],
    )
    counts = df["decline_reason"].value_counts() if not df.empty else pd.Series(dtype=int)
    return pd.DataFrame(
        {
            "reason": [str(label) for label in DeclineReason.labels],
            "count": [int(counts.get(value, 0)) for value in DeclineReason.values],
        }
    )


def caseload(
    provider_ids: list[int], period: Period, *, with_organisation: bool = False
) -> pd.DataFrame:
    """Referrals sent per counsellor (or caseworker) of these organisations: sent, open,
    stalled, closed. A referral sent through the API (no user) counts for "API" of its
    organisation. Across a network the figures stay per person but the names do not: network
    viewers see aggregate figures only, so each person is "Counsellor n (organisation)",
    numbered in the order of their accounts."""
    df = _frame(
        Referral.objects.filter(period.q(), sender_organisation_id__in=provider_ids),
        [
            "sender_id",
            "sender__first_name",
            "sender__last_name",
            "sender__username",
            "sender_organisation__name",
            "status",
            "stalled_at",
        ],
    )
    columns = ["counsellor", "sent", "open", "stalled", "closed"]
    if df.empty:
        return pd.DataFrame(columns=columns)
    df["counsellor"] = (
        df["sender__first_name"].fillna("") + " " + df["sender__last_name"].fillna("")
    ).str.strip()
    df.loc[df["counsellor"] == "", "counsellor"] = df["sender__username"].fillna("API")
    if with_organisation:
        for organisation, rows in df.groupby("sender_organisation__name", sort=False):
            people = sorted(rows["sender_id"].dropna().unique())
            number = {sender: n for n, sender in enumerate(people, start=1)}
            df.loc[rows.index, "counsellor"] = [
                ("API" if pd.isna(sender) else _("Counsellor %(n)s") % {"n": number[sender]})
                + f" ({organisation})"
                for sender in rows["sender_id"]
            ]
    df["closed"] = df["status"] == Status.CLOSED
    df["open"] = ~df["closed"]
    df["stalled"] = df["stalled_at"].notna() & df["open"]
    grouped = df.groupby("counsellor", sort=True)
    out = pd.DataFrame(
        {
            "sent": grouped.size(),
            "open": grouped["open"].sum(),
            "stalled": grouped["stalled"].sum(),
            "closed": grouped["closed"].sum(),
        }
    ).reset_index(names="counsellor")
    return out[columns]


# --- charts ------------------------------------------------------------------------------------


def _bars(df: pd.DataFrame, index: str, values: list[str], labels: dict) -> str:
    if df.empty or not df[values].to_numpy().sum():
        return empty_chart()
    fig = Figure(figsize=(7, 3.2))
    ax = fig.add_subplot()
    width = 0.8 / len(values)
    positions = range(len(df))
    for i, column in enumerate(values):
        ax.bar(
            [p + i * width for p in positions],
            df[column].astype(float),
            width=width,
            label=str(labels[column]),
            color=PALETTE[i % len(PALETTE)],
        )
    ax.set_xticks([p + width * (len(values) - 1) / 2 for p in positions])
    ax.set_xticklabels([str(v)[:28] for v in df[index]], rotation=30, ha="right", fontsize=8)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    if len(values) > 1:
        ax.legend(fontsize=8)
    return svg_uri(fig)


@dataclass(frozen=True)
class ReferralReport:
    slug: str
    title: str
    build: Callable[[Scope, Period], pd.DataFrame]
    index: str
    bars: tuple[str, ...]
    columns: dict

    def chart(self, df: pd.DataFrame) -> str:
        return _bars(df, self.index, list(self.bars), self.columns)


REPORTS = {
    r.slug: r
    for r in (
        ReferralReport(
            "received",
            gettext_lazy("Referrals received"),
            lambda scope, period: received(list(scope.receiver_ids), period, total=scope.network),
            "provider",
            ("received", "accepted", "declined", "started"),
            {
                "provider": gettext_lazy("Provider"),
                "received": gettext_lazy("Received"),
                "accepted": gettext_lazy("Accepted"),
                "declined": gettext_lazy("Declined"),
                "started": gettext_lazy("Course started"),
                "lost": gettext_lazy("Lost (declined or stalled)"),
                "days_median": gettext_lazy("Days to course start (median)"),
                "days_p90": gettext_lazy("Days to course start (90th percentile)"),
            },
        ),
        ReferralReport(
            "declines",
            gettext_lazy("Declined referrals by reason"),
            lambda scope, period: declines(list(scope.receiver_ids), period),
            "reason",
            ("count",),
            {"reason": gettext_lazy("Reason"), "count": gettext_lazy("Referrals")},
        ),
        ReferralReport(
            "caseload",
            gettext_lazy("Caseload per counsellor"),
            lambda scope, period: caseload(
                list(scope.sender_ids), period, with_organisation=bool(scope.network)
            ),
            "counsellor",
            ("sent", "open", "stalled"),
            {
                "counsellor": gettext_lazy("Counsellor"),
                "sent": gettext_lazy("Sent"),
                "open": gettext_lazy("Open"),
                "stalled": gettext_lazy("Stalled"),
                "closed": gettext_lazy("Closed"),
            },
        ),
    )
}
