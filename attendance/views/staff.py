"""Staff pages: a learner's attendance, corrections with reason, absence evidence, learner cards
and the alerts list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attendance import access, selectors, services
from attendance.models import (
    AbsenceEvidence,
    AbsenceReason,
    AbsenceReport,
    Code,
    LearnerCard,
    reason_label,
)
from attendance.views.common import parse_time, pdf_response
from core.errors import DomainError
from core.pdf import render_pdf
from core.qr import qr_data_uri
from courses.access import course_for_staff
from enrolment import selectors as enrolment_selectors
from people.access import learner_for_staff
from people.models import Role


@login_required
def learner_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """A learner's register entries with corrections, evidence and card (staff only)."""
    learner = learner_for_staff(user=request.user, pk=pk)
    return render(
        request,
        "attendance/learner.html",
        {
            "learner": learner,
            "records": selectors.learner_records(learner=learner)[:200],
            "card": selectors.learner_active_card(learner=learner),
            "absence_reports": AbsenceReport.objects.filter(learner=learner).select_related(
                "decided_by"
            )[:50],
            "codes": Code.choices,
            "reasons": [(r, reason_label(r)) for r in selectors.absence_reasons()],
        },
    )


@login_required
@require_POST
def record_correct(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.record_for_staff(user=request.user, pk=pk)
    kwargs = {}
    reason_id = request.POST.get("reason_id")
    if reason_id is not None:
        kwargs["absence_reason"] = (
            get_object_or_404(AbsenceReason, pk=int(reason_id)) if reason_id else None
        )
    try:
        for field in ("arrived_at", "left_at"):
            if field in request.POST:
                kwargs[field] = parse_time(request.POST.get(field))
        services.record_set(
            session=record.session,
            enrolment=record.enrolment,
            by=request.user,
            code=request.POST.get("code") or None,
            reason=request.POST.get("correction_reason", ""),
            **kwargs,
        )
        messages.success(request, _("The entry was corrected."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("attendance-learner", pk=record.enrolment.learner_id)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.record_for_staff(user=request.user, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        try:
            services.evidence_add(
                record=record,
                file=upload,
                by=request.user,
                is_medical_certificate=bool(request.POST.get("is_medical_certificate")),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("The evidence was saved."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("attendance-learner", pk=record.enrolment.learner_id)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files are served to the provider's staff only, never from a public media URL."""
    evidence = get_object_or_404(
        AbsenceEvidence.objects.filter(
            record__session__course__provider_id__in=request.user.provider_ids(role=Role.STAFF)
        ),
        pk=pk,
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])


def _report_for_staff(request: HttpRequest, pk: int) -> AbsenceReport:
    """A learner's absence report, for the staff of the learner's provider only: teachers, other
    providers and Jobcenters get 404 (the evidence is health data)."""
    return get_object_or_404(
        AbsenceReport.objects.filter(
            learner__provider_id__in=request.user.provider_ids(role=Role.STAFF)
        ),
        pk=pk,
    )


@login_required
def report_evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The photo or PDF a learner sent with an absence report; staff of the provider only."""
    report = _report_for_staff(request, pk)
    if not report.evidence:
        raise Http404
    try:
        handle = report.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=report.evidence.name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The office decides: the reported days are excused (E) or unexcused (U) on the register."""
    report = _report_for_staff(request, pk)
    try:
        services.absence_report_decide(
            report=report, code=request.POST.get("code", ""), by=request.user
        )
        messages.success(request, _("The decision is on the register."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(
        reverse("attendance-learner", args=[report.learner_id]) + f"#report-{report.pk}"
    )


@login_required
@require_POST
def card_issue(request: HttpRequest, pk: int) -> HttpResponse:
    learner = learner_for_staff(user=request.user, pk=pk)
    services.card_issue(learner=learner, by=request.user)
    messages.success(request, _("A new card was issued; the previous card no longer works."))
    return redirect("attendance-learner", pk=learner.pk)


@login_required
@require_POST
def card_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    card = access.card_for_staff(user=request.user, pk=pk)
    services.card_revoke(card=card, by=request.user)
    messages.success(request, _("The card was revoked."))
    return redirect("attendance-learner", pk=card.learner_id)


def _card_context(cards: list[LearnerCard]) -> dict:
    return {
        "cards": [
            {"card": c, "learner": c.learner, "qr": qr_data_uri(c.qr_content, box_size=6)}
            for c in cards
        ]
    }


@login_required
def card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    learner = learner_for_staff(user=request.user, pk=pk)
    cards = services.cards_ensure(learners=[learner], by=request.user)
    pdf = render_pdf(
        "attendance/pdf/cards.html", {**_card_context(cards), "provider": learner.provider}
    )
    return pdf_response(pdf, f"card-{learner.pk}.pdf")


@login_required
def course_cards_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    course = course_for_staff(user=request.user, pk=pk)
    learners = [
        e.learner
        for e in enrolment_selectors.enrolments_on(
            course=course, day=max(course.start_date, services.today())
        )
        .select_related("learner")
        .order_by("learner__last_name", "learner__first_name")
    ]
    cards = services.cards_ensure(learners=learners, by=request.user)
    pdf = render_pdf(
        "attendance/pdf/cards.html", {**_card_context(cards), "provider": course.provider}
    )
    return pdf_response(pdf, f"cards-course-{course.pk}.pdf")


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    provider_ids = request.user.provider_ids(role=Role.STAFF)
    if not provider_ids:
        raise PermissionDenied
    return render(
        request,
        "attendance/alerts.html",
        {
            "alerts": selectors.open_alerts(provider_ids=provider_ids)[:200],
            "unsigned": selectors.unsigned_days(provider_ids=provider_ids)[:200],
        },
    )
