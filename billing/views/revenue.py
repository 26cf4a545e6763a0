"""The revenue report of billing (page and XLSX) and what BAMF paid on an issued claim.

Staff of a provider only: everyone else gets 404. ``billing.reports`` (pandas, matplotlib) is
imported inside the views, not with the URLs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from attendance.services.base import today
from billing import services
from billing.access import billing_courses, claim_for_staff
from billing.selectors.revenue import Period, Revenue, revenue_modules
from core.errors import DomainError
from people.models import Organisation, Role

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The longest period a report covers (three years of modules).
MAX_DAYS = 3 * 366


def default_period(day: dt.date) -> Period:
    """The twelve months up to the end of the current one."""
    start = dt.date(day.year - 1, day.month, 1) + dt.timedelta(days=32)
    start = start.replace(day=1)
    end = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return Period(start, end)


def _period(request: HttpRequest) -> Period:
    default = default_period(today())
    try:
        start = dt.date.fromisoformat(request.GET.get("from") or default.date_from.isoformat())
        end = dt.date.fromisoformat(request.GET.get("to") or default.date_to.isoformat())
    except ValueError:
        return default
    if end < start or (end - start).days > MAX_DAYS:
        return default
    return Period(start, end)


def _scope(request: HttpRequest) -> tuple[list[Organisation], int | None]:
    """The providers the user is staff of, and the one chosen (a provider the user is not
    staff of is 404, as is a user who is nobody's staff)."""
    ids = request.user.provider_ids(role=Role.STAFF)
    if not ids:
        raise Http404
    chosen = request.GET.get("provider") or ""
    if chosen and (not chosen.isdigit() or int(chosen) not in ids):
        raise Http404
    providers = list(Organisation.objects.filter(pk__in=ids).order_by("name"))
    return providers, int(chosen) if chosen else None


def _revenue(request: HttpRequest, provider_id: int | None, period: Period) -> Revenue:
    courses = billing_courses(user=request.user)
    if provider_id is not None:
        courses = courses.filter(provider_id=provider_id)
    return revenue_modules(courses=courses, period=period)


@login_required
@require_GET
def revenue_report(request: HttpRequest) -> HttpResponse:
    from billing import reports

    providers, provider_id = _scope(request)
    period = _period(request)
    revenue = _revenue(request, provider_id, period)
    if revenue.problem:
        messages.error(request, revenue.problem)
    query = f"from={period.date_from:%Y-%m-%d}&to={period.date_to:%Y-%m-%d}"
    if provider_id is not None:
        query += f"&provider={provider_id}"
    return render(
        request,
        "billing/revenue.html",
        {
            **reports.page(revenue),
            "period": period,
            "providers": providers,
            "provider_id": provider_id,
            "query": query,
            "held_back": sum(1 for m in revenue.modules if m.held_back),
        },
    )


@login_required
@require_GET
def revenue_export(request: HttpRequest) -> HttpResponse:
    from billing import reports

    _providers, provider_id = _scope(request)
    period = _period(request)
    revenue = _revenue(request, provider_id, period)
    response = HttpResponse(reports.to_xlsx(revenue), content_type=XLSX_TYPE)
    name = f"umsatz-{period.date_from:%Y-%m}-{period.date_to:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def bamf_payment_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record what BAMF paid on the issued claim, from the payment notice."""
    claim = claim_for_staff(user=request.user, pk=pk)
    try:
        amount = Decimal((request.POST.get("amount") or "").strip().replace(",", "."))
    except InvalidOperation:
        amount = Decimal(0)
    try:
        paid_on = parse_date(request.POST.get("paid_on") or "") or today()
    except ValueError:
        paid_on = today()
    try:
        services.bamf_payment_record(
            claim=claim,
            amount=amount,
            paid_on=paid_on,
            reference=request.POST.get("reference", ""),
            by=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("BAMF's payment is recorded."))
    return redirect("billing-claim", pk=claim.pk)
