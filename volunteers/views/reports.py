"""The coordinators' reports: three pandas reports with charts, CSV and XLSX (aggregates only).

``volunteers.reports`` (pandas, matplotlib) is imported inside the views, not with the URLs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.report_pages import EXPORT_FORMATS, report_download, report_table, requested_period
from volunteers import access
from volunteers.services.base import today

if TYPE_CHECKING:
    from volunteers.reports import Period


def _period(request: HttpRequest) -> Period:
    from volunteers.reports import Period

    return requested_period(request, Period.last_twelve_months(today()), Period)


@login_required
@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    from volunteers.reports import REPORTS

    ids = access.require_coordinator(request.user)
    period = _period(request)
    shown = [report_table(report, report.build(ids, period)) for report in REPORTS.values()]
    return render(request, "volunteers/staff/reports.html", {"reports": shown, "period": period})


@login_required
@require_GET
def report_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    from volunteers.reports import REPORTS

    ids = access.require_coordinator(request.user)
    report = REPORTS.get(slug)
    if report is None or fmt not in EXPORT_FORMATS:
        raise Http404
    df = report.build(ids, _period(request))
    return report_download(request, report, df, fmt=fmt, name=f"ehrenamt-{slug}")
