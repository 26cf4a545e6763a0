"""The monthly workbook of a provider (one sheet per report). A single report's CSV or XLSX file
is ``core.report_pages.report_download``, as for the other apps' reports."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from core.spreadsheets import workbook_bytes
from reports.access import Scope
from reports.frames import REPORTS, Filters, labelled


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
    return workbook_bytes(sheets)
