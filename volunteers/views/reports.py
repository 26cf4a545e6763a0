"""The coordinators' reports: three pandas reports with charts, CSV and XLSX (aggregates only).

``volunteers.reports`` (pandas, matplotlib) is imported inside the views, not with the URLs.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.spreadsheets import german_excel_default
from volunteers import access
from volunteers.services.base import today

if TYPE_CHECKING:
    from volunteers.reports import Period

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request: HttpRequest) -> Period:
    from volunteers.reports import Period

    default = Period.last_twelve_months(today())
    try:
        start = dt.date.fromisoformat(request.GET.get("from") or default.date_from.isoformat())
        end = dt.date.fromisoformat(request.GET.get("to") or default.date_to.isoformat())
    except ValueError:
        return default
    if end < start or (end - start).days > 3 * 366:
        return default
    return Period(start, end)


@login_required
@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    from volunteers.reports import REPORTS

    ids = access.require_coordinator(request.user)
    period = _period(request)
    shown = []
    for report in REPORTS.values():
        df = report.build(ids, period)
        shown.append(
            {
                "report": report,
                "chart": report.chart(df),
                "columns": [str(report.columns[c]) for c in df.columns],
                "rows": df.astype(object).where(df.notna(), "–").values.tolist(),
            }
        )
    return render(request, "volunteers/staff/reports.html", {"reports": shown, "period": period})


@login_required
@require_GET
def report_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    from volunteers.reports import REPORTS, to_csv, to_xlsx

    ids = access.require_coordinator(request.user)
    report = REPORTS.get(slug)
    if report is None or fmt not in ("csv", "xlsx"):
        raise Http404
    df = report.build(ids, _period(request))
    if fmt == "csv":
        german = german_excel_default(request.GET.get("csv"))
        content, content_type = to_csv(report, df, german=german), "text/csv; charset=utf-8"
    else:
        content, content_type = to_xlsx(report, df), XLSX_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ehrenamt-{slug}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
