"""What the apps' report pages share: the period a page is asked for, a report's table as the
page shows it, and its CSV or XLSX file.

A report here is anything with a ``title``, its ``columns`` (key → label) and a ``chart(df)``; its
data is a pandas DataFrame. pandas is not imported here (the views import this module with the
URLs; the frames arrive already built).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.http import Http404, HttpRequest, HttpResponse

from core.spreadsheets import csv_bytes, german_excel_default, workbook_bytes

if TYPE_CHECKING:
    import pandas as pd

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_FORMATS = ("csv", "xlsx")
#: The longest period a page computes (longer requests get the default period).
LONGEST_PERIOD_DAYS = 3 * 366
#: What an empty cell shows on the page.
EMPTY_CELL = "–"


class DatedPeriod(Protocol):
    @property
    def date_from(self) -> dt.date: ...

    @property
    def date_to(self) -> dt.date: ...


class LabelledReport(Protocol):
    """What a download needs of a report: its title (the sheet name) and column labels."""

    @property
    def title(self) -> Any: ...

    @property
    def columns(self) -> Mapping[str, Any]: ...


class TabularReport(LabelledReport, Protocol):
    def chart(self, df: pd.DataFrame) -> str: ...


@dataclass(frozen=True)
class ReportTable:
    """One report as its page shows it: the chart, the column labels, the rows (empty cells
    as a dash)."""

    report: Any
    chart: str
    columns: list[str]
    rows: list[list[Any]]


def requested_period[P: DatedPeriod](
    request: HttpRequest, default: P, make: Callable[[dt.date, dt.date], P]
) -> P:
    """The period of ``?from=…&to=…`` (ISO dates; a missing one is the default's), made with
    ``make(start, end)``. A malformed, reversed or over-long period gives ``default``: a page
    answers a mistyped address with its usual view, not an error, and never computes years
    of data for a hand-edited one."""
    try:
        start = dt.date.fromisoformat(request.GET.get("from") or default.date_from.isoformat())
        end = dt.date.fromisoformat(request.GET.get("to") or default.date_to.isoformat())
    except ValueError:
        return default
    if end < start or (end - start).days > LONGEST_PERIOD_DAYS:
        return default
    return make(start, end)


def report_table(report: TabularReport, df: pd.DataFrame) -> ReportTable:
    return ReportTable(
        report=report,
        chart=report.chart(df),
        columns=[str(report.columns[c]) for c in df.columns],
        rows=df.astype(object).where(df.notna(), EMPTY_CELL).values.tolist(),
    )


def labelled(report: LabelledReport, df: pd.DataFrame) -> pd.DataFrame:
    """The frame with the report's column labels (in the active language) as headers."""
    return df.rename(columns={k: str(v) for k, v in report.columns.items()})


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file to download, kept out of every cache (reports carry a provider's figures)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def report_download(
    request: HttpRequest, report: LabelledReport, df: pd.DataFrame, *, fmt: str, name: str
) -> HttpResponse:
    """The report as ``name.csv`` (German Excel form for German users unless ``?csv=`` says
    otherwise) or ``name.xlsx`` (one sheet, named after the report). ``fmt`` is one of
    ``EXPORT_FORMATS`` (another is a 404; views check it before they build the frame)."""
    if fmt == "csv":
        german = german_excel_default(request.GET.get("csv"))
        return attachment(csv_bytes(labelled(report, df), german=german), CSV_TYPE, f"{name}.csv")
    if fmt != "xlsx":
        raise Http404
    content = workbook_bytes({str(report.title): labelled(report, df)})
    return attachment(content, XLSX_TYPE, f"{name}.xlsx")
