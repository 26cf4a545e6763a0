"""Staff pages of the InGe outbox: the list per provider by status, a report in the form's order
with what is missing, mark ready, record "sent on … by …", and correct a sent report.

Only the provider's staff: everyone else (another provider's staff, teachers, learners,
Jobcenter caseworkers, volunteers) gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing.inge import services
from billing.inge.access import report_for_staff, reports_for_staff
from billing.models import InGeReport
from core.errors import DomainError
from people.models import Organisation, Role

#: The list's status filter: the statuses, plus every report.
FILTERS = ("todo", "ready", "sent", "all")
PER_PAGE = 100


def _provider_ids(request: HttpRequest) -> list[int]:
    ids = request.user.provider_ids(role=Role.STAFF)
    if not ids:
        raise Http404
    return ids


@login_required
def inge_list(request: HttpRequest) -> HttpResponse:
    provider_ids = _provider_ids(request)
    status = request.GET.get("status", "todo")
    if status not in FILTERS:
        status = "todo"
    reports = reports_for_staff(user=request.user)
    providers = list(Organisation.objects.filter(pk__in=provider_ids).order_by("name"))
    provider = next((p for p in providers if str(p.pk) == request.GET.get("provider")), None)
    if provider is not None:
        reports = reports.filter(course__provider=provider)
    if status != "all":
        reports = reports.filter(status=status)
    order = ["-sent_on", "-pk"] if status == "sent" else ["due_on", "pk"]
    page = Paginator(reports.order_by(*order), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/inge/list.html",
        {
            "page": page,
            "status": status,
            "filters": [(value, _filter_label(value)) for value in FILTERS],
            "providers": providers,
            "provider": provider,
        },
    )


def _filter_label(value: str) -> str:
    if value == "all":
        return _("All")
    return str(InGeReport.Status(value).label)


@login_required
@require_POST
def inge_refresh(request: HttpRequest) -> HttpResponse:
    """Bring the outbox of the user's providers up to date now (the daily sweep does it too)."""
    result = services.inge_sync(provider_ids=_provider_ids(request))
    messages.success(
        request,
        _("The outbox is up to date: %(created)s new reports, %(updated)s updated.")
        % {"created": result.created, "updated": result.updated},
    )
    return redirect("billing-inge-list")


@login_required
def inge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for_staff(user=request.user, pk=pk)
    if not report.is_sent:
        services.inge_sync_course(course=report.course)
        if not InGeReport.objects.filter(pk=report.pk).exists():
            messages.info(request, _("This report is not needed any more."))
            return redirect("billing-inge-list")
        report = report_for_staff(user=request.user, pk=pk)
    form = services.inge_form(report)
    original = report.corrects if report.corrects_id else report
    open_correction = original.corrections.exclude(status=InGeReport.Status.SENT).first()
    return render(
        request,
        "billing/inge/detail.html",
        {
            "report": report,
            "title": form.title,
            # A sent report shows what was sent; an open one today's data.
            "fields": report.values if report.is_sent else form.values(),
            "missing": [] if report.is_sent else form.missing,
            # Compared with what InGe holds now: the latest sent correction, or the report.
            "changes": (
                services.sent_changes(services.last_sent(original), form)
                if report.is_sent and not open_correction
                else []
            ),
            "corrections": list(original.corrections.order_by("pk")),
            "open_correction": open_correction,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def inge_ready(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for_staff(user=request.user, pk=pk)
    try:
        services.inge_mark_ready(report=report, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The report is ready to be entered in InGe-Online."))
    return redirect("billing-inge-report", pk=report.pk)


@login_required
@require_POST
def inge_sent(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for_staff(user=request.user, pk=pk)
    try:
        sent_on = parse_date(request.POST.get("sent_on") or "")
    except ValueError:
        sent_on = None
    try:
        if sent_on is None:
            raise services.InGeError(
                _("Enter the day the report was entered in InGe-Online."),
                code="sent_on_required",
                field="sent_on",
            )
        services.inge_mark_sent(report=report, by=request.user, sent_on=sent_on)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded as sent. The report cannot be changed any more."))
    return redirect("billing-inge-report", pk=report.pk)


@login_required
@require_POST
def inge_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for_staff(user=request.user, pk=pk)
    try:
        correction = services.inge_correction_create(report=report)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("billing-inge-report", pk=report.pk)
    return redirect("billing-inge-report", pk=correction.pk)
