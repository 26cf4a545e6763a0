"""Report an absence: today or coming days, a reason, optionally a photo or PDF of the evidence.
The teacher's register shows the report; the office decides E or U."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance import services as attendance_services
from core.errors import DomainError
from learner_area import selectors
from learner_area.access import learner_page, report_of
from learner_area.forms import AbsenceReportForm, EvidenceForm
from people.models import Learner


def _form_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@learner_page
def absence(request: HttpRequest, learner: Learner) -> HttpResponse:
    form = AbsenceReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = attendance_services.absence_report_create(
                learner=learner,
                first_day=data["first_day"],
                last_day=data["last_day"],
                reason=data["reason"],
                note=data["note"],
                evidence=data["evidence"],
                by=request.user,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("Thank you. Your course office and your teacher can see your report.")
            )
            if report.certificate_needed and not report.evidence:
                messages.warning(
                    request,
                    _(
                        "You are ill for the fourth course day in a row. Please send a medical "
                        "certificate from your doctor: take a photo of it below."
                    ),
                )
            return redirect(reverse("learner-absence") + f"#report-{report.pk}")
    return render(
        request,
        "learner_area/absence.html",
        {
            "form": form,
            "reports": selectors.learner_reports(learner=learner),
            "max_mb": attendance_services.EVIDENCE_MAX_BYTES // 1024 // 1024,
        },
        status=400 if request.method == "POST" else 200,
    )


@learner_page
@require_POST
def absence_evidence(request: HttpRequest, learner: Learner, pk: int) -> HttpResponse:
    """Add the photo or PDF to a report (for example the medical certificate, later)."""
    report = report_of(learner, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo or a PDF first."))
    else:
        try:
            attendance_services.absence_report_evidence_add(
                report=report, file=form.cleaned_data["evidence"], by=request.user
            )
            messages.success(request, _("Thank you. The course office has received the file."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect(reverse("learner-absence") + f"#report-{report.pk}")
