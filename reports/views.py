"""Staff dashboard, network view, report pages with exports, and the monthly workbook.

The report builders, charts and exports (pandas, matplotlib, openpyxl) are imported inside the
views that use them, so loading the URLs (every worker at start) does not load those libraries.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.dashboard import tiles as dashboard_tiles
from core.report_pages import EXPORT_FORMATS, XLSX_TYPE, attachment, report_download
from people.models import Role
from reports.access import network_scope, report_scope, staff_scope
from reports.forms import ReportFilterForm
from reports.selectors import SOON_DAYS, dashboard


@login_required
@require_GET
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    """Dashboard of one provider for its staff (switcher when several); network viewers are
    sent to the network view."""
    if not request.user.provider_ids(role=Role.STAFF):
        if request.user.has_role(Role.NETWORK_VIEWER):
            return redirect("network-dashboard")
        raise PermissionDenied
    scope = staff_scope(user=request.user, provider=request.GET.get("provider"))
    context = {
        "scope": scope,
        "panels": dashboard(scope=scope),
        "soon_days": SOON_DAYS,
        # figures other apps register (volunteers …), without this app importing them
        "tiles": dashboard_tiles(
            user=request.user, provider_ids=scope.provider_ids, today=timezone.localdate()
        ),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def network_dashboard(request: HttpRequest) -> HttpResponse:
    """Aggregate figures of every provider in the viewer's network; no personal data."""
    scope = network_scope(user=request.user)
    context = {
        "scope": scope,
        "panels": dashboard(scope=scope),
        "soon_days": SOON_DAYS,
    }
    return render(request, "reports/network_dashboard.html", context)


@login_required
@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    scope = report_scope(user=request.user, provider=request.GET.get("provider"))
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    from reports.frames import REPORTS

    return render(
        request,
        "reports/index.html",
        {"scope": scope, "reports": REPORTS.values(), "last_month": last_month},
    )


def _report(request: HttpRequest, slug: str):
    from reports.frames import REPORTS

    report = REPORTS.get(slug)
    if report is None:
        raise Http404
    scope = report_scope(user=request.user, provider=request.GET.get("provider"))
    form = ReportFilterForm(request.GET or None, scope=scope, with_grouping=(slug == "attendance"))
    filters = form.filters()
    return report, scope, form, filters


@login_required
@require_GET
def report_detail(request: HttpRequest, slug: str) -> HttpResponse:
    import pandas as pd

    from reports import charts

    report, scope, form, filters = _report(request, slug)
    result = report.build(scope, filters)
    query = request.GET.copy()
    query.pop("format", None)
    df = result.df
    numeric = {
        key for key in report.columns if key in df and pd.api.types.is_numeric_dtype(df[key])
    }
    columns = [(key, label, key in numeric) for key, label in report.columns.items()]
    rows = [
        [(None if pd.isna(row[key]) else row[key], key in numeric) for key, _l, _n in columns]
        for row in df.to_dict("records")
    ]
    context = {
        "report": report,
        "scope": scope,
        "form": form,
        "filters": filters,
        "columns": columns,
        "rows": rows,
        "totals": result.totals,
        "chart": charts.render(report, result),
        "csv_url": reverse("report-export", args=[slug, "csv"]) + "?" + query.urlencode(),
        "xlsx_url": reverse("report-export", args=[slug, "xlsx"]) + "?" + query.urlencode(),
        "provider_query": urlencode({"provider": scope.selected}) if scope.selected else "",
    }
    return render(request, "reports/report.html", context)


@login_required
@require_GET
def report_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    report, scope, form, filters = _report(request, slug)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    result = report.build(scope, filters)
    name = f"{slug}_{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}"
    return report_download(request, report, result.df, fmt=fmt, name=name)


@login_required
@require_GET
def monthly_summary(request: HttpRequest) -> HttpResponse:
    """One workbook per provider and month (one sheet per report), for the provider's staff."""
    scope = staff_scope(user=request.user, provider=request.GET.get("provider"))
    raw = request.GET.get("month") or ""
    try:
        year, month = (int(x) for x in raw.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        return HttpResponse(
            _("Give the month as YYYY-MM."), status=400, content_type="text/plain; charset=utf-8"
        )
    from reports import exports

    content = exports.monthly_workbook(scope=scope, year=year, month=month)
    return attachment(
        content, XLSX_TYPE, f"monthly_summary_{scope.selected}_{year:04d}-{month:02d}.xlsx"
    )
