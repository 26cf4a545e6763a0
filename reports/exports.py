"""CSV and XLSX files of the report DataFrames (the same frames the pages show)."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from core.spreadsheets import csv_bytes, workbook_bytes
from reports.access import Scope
from reports.frames import REPORTS, Filters, Report, labelled

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def to_csv(report: Report, df: pd.DataFrame, *, german: bool | None = None) -> bytes:
    """UTF-8 with BOM (Excel reads the umlauts); German Excel form (semicolon, decimal comma)
    by default for German users (``core.spreadsheets.csv_bytes``)."""
    return csv_bytes(labelled(report, df), german=german)


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    return workbook_bytes(sheets)


def report_xlsx(report: Report, df: pd.DataFrame) -> bytes:
    return to_xlsx({str(report.title): labelled(report, df)})


def monthly_workbook(*, scope: Scope, year: int, month: int) -> bytes:
    """One workbook for one provider and calendar month: a summary sheet, then one per report."""
    filters = Filters.month(year, month)
    sheets: dict[str, pd.DataFrame] = {}
    providers = ", ".join(str(p) for p in scope.providers)
    sheets[_("Summary")] = pd.DataFrame(
        {
            _("Field"): [_("Provider"), _("Month"), _("From"), _("To")],
            _("Value"): [
                providers,
                f"{year:04d}-{month:02d}",
                filters.date_from.isoformat(),
                filters.date_to.isoformat(),
            ],
        }
    )
    for report in REPORTS.values():
        result = report.build(scope, filters)
        sheets[str(report.title)] = labelled(report, result.df)
    return to_xlsx(sheets)
