"""Staff pages of the own contribution: receipts, exemption evidence and travel-subsidy
applications of a learner, evidence about to expire, reminders sent.

Only the provider's staff: everyone else (another provider's staff, teachers, learners,
Jobcenter, volunteers) gets 404."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing import services
from billing.access import claim_for_staff
from billing.letters import receipt_number, receipt_pdf, reminder_letter_pdf
from billing.models import (
    ContributionPayment,
    ContributionReminder,
    ExemptionGround,
    FeeExemption,
    TravelSubsidyApplication,
)
from core.errors import DomainError
from people.access import learner_for_staff, require_staff

#: Evidence ending within this many days is listed as expiring (and as expired for as long).
EXPIRING_DAYS = 30


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def receipt(request: HttpRequest, pk: int, payment_pk: int) -> HttpResponse:
    """The receipt of a payment recorded on the claim."""
    claim = claim_for_staff(user=request.user, pk=pk)
    payment = get_object_or_404(ContributionPayment.objects.filter(claim=claim), pk=payment_pk)
    return _pdf(receipt_pdf(payment), f"{receipt_number(payment)}.pdf")


def _parse_day(value: str | None):
    try:
        return parse_date(value or "")
    except ValueError:
        return None


@login_required
def learner_exemptions(request: HttpRequest, learner_pk: int) -> HttpResponse:
    """A learner's exemption evidence and travel-subsidy applications, with forms to record
    new ones."""
    require_staff(request.user)
    learner = learner_for_staff(user=request.user, pk=learner_pk)
    today = timezone.localdate()
    exemptions = list(
        FeeExemption.objects.filter(learner=learner).select_related("ground", "recorded_by")
    )
    return render(
        request,
        "billing/exemptions.html",
        {
            "learner": learner,
            "exemptions": exemptions,
            "applications": list(
                TravelSubsidyApplication.objects.filter(learner=learner).select_related(
                    "recorded_by"
                )
            ),
            "grounds": list(
                ExemptionGround.objects.filter(
                    Q(valid_until__isnull=True) | Q(valid_until__gte=today)
                )
            ),
            "today": today,
            "soon": today + timedelta(days=EXPIRING_DAYS),
        },
    )


@login_required
@require_POST
def exemption_record(request: HttpRequest, learner_pk: int) -> HttpResponse:
    require_staff(request.user)
    learner = learner_for_staff(user=request.user, pk=learner_pk)
    ground = get_object_or_404(ExemptionGround, pk=request.POST.get("ground") or 0)
    try:
        services.exemption_record(
            learner=learner,
            ground=ground,
            valid_from=_parse_day(request.POST.get("valid_from")),
            valid_until=_parse_day(request.POST.get("valid_until")),
            evidence=request.POST.get("evidence", ""),
            by=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The exemption evidence is recorded."))
    return redirect("billing-learner-exemptions", learner_pk=learner.pk)


@login_required
@require_POST
def travel_record(request: HttpRequest, learner_pk: int) -> HttpResponse:
    require_staff(request.user)
    learner = learner_for_staff(user=request.user, pk=learner_pk)
    try:
        services.travel_application_record(
            learner=learner,
            distance_km=request.POST.get("distance_km", ""),
            evidence=request.POST.get("evidence", ""),
            by=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The travel subsidy application is recorded from today."))
    return redirect("billing-learner-exemptions", learner_pk=learner.pk)


@login_required
def evidence(request: HttpRequest) -> HttpResponse:
    """Exemption evidence of the provider's learners that ends within the next days or ended
    recently (the learner must bring new evidence, or pays from the next module on)."""
    provider_ids = require_staff(request.user)
    today = timezone.localdate()
    window = timedelta(days=EXPIRING_DAYS)
    rows = list(
        FeeExemption.objects.filter(
            learner__provider_id__in=provider_ids,
            valid_until__gte=today - window,
            valid_until__lte=today + window,
        )
        .select_related("learner", "ground")
        .order_by("valid_until", "learner__last_name", "pk")
    )
    return render(request, "billing/evidence.html", {"rows": rows, "today": today})


@login_required
def reminders(request: HttpRequest) -> HttpResponse:
    """Who was reminded of an open own contribution, when, how and for how much."""
    provider_ids = require_staff(request.user)
    rows = list(
        ContributionReminder.objects.filter(claim__course__provider_id__in=provider_ids)
        .select_related("claim__course__course_type", "claim__module", "enrolment__learner")
        .order_by("-created_at", "-pk")[:500]
    )
    return render(request, "billing/reminders.html", {"rows": rows})


@login_required
def reminder_letter(request: HttpRequest, pk: int) -> HttpResponse:
    provider_ids = require_staff(request.user)
    reminder = get_object_or_404(
        ContributionReminder.objects.filter(claim__course__provider_id__in=provider_ids), pk=pk
    )
    return _pdf(reminder_letter_pdf(reminder), f"mahnung-{reminder.pk}.pdf")
