"""Staff pages for certificates, the PDF download, batch progress and the public verify page."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from certificates import services
from certificates.access import (
    batch_for_staff,
    document_for_download,
    document_for_staff,
    documents_for_staff,
)
from certificates.forms import BatchForm, IssueForm, ReasonForm
from certificates.models import CertificateBatch, Document, Kind
from certificates.selectors import course_certifiable_enrolments, verification_lookup
from core.errors import DomainError
from core.ratelimit import over_limit
from courses.access import course_for_staff
from internships.access import placement_for_staff
from people.models import Role


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    if not request.user.provider_ids(role=Role.STAFF):
        raise Http404
    documents = documents_for_staff(user=request.user)[:100]
    from courses.access import courses_for_staff

    return render(
        request,
        "certificates/document_list.html",
        {
            "documents": documents,
            "courses": courses_for_staff(user=request.user).exclude(status="cancelled")[:100],
        },
    )


@login_required
def course_certificates(request: HttpRequest, course_pk: int) -> HttpResponse:
    course = course_for_staff(user=request.user, pk=course_pk)
    enrolments = course_certifiable_enrolments(course)
    documents = (
        Document.objects.filter(course=course, kind=Kind.PARTICIPATION)
        .defer("pdf")
        .select_related("learner", "module")
        .order_by("-issued_at")[:200]
    )
    batches = (
        CertificateBatch.objects.filter(course=course).defer("pdf").order_by("-created_at")[:5]
    )
    return render(
        request,
        "certificates/course.html",
        {
            "course": course,
            "enrolments": enrolments,
            "documents": documents,
            "batches": batches,
            "issue_form": IssueForm(course=course, auto_id=False),
            "batch_form": BatchForm(course=course),
        },
    )


@login_required
@require_POST
def course_issue(request: HttpRequest, course_pk: int) -> HttpResponse:
    course = course_for_staff(user=request.user, pk=course_pk)
    form = IssueForm(request.POST, course=course)
    if not form.is_valid():
        messages.error(request, _("Please check the input."))
        return redirect("certificates-course", course_pk=course.pk)
    enrolment = next(
        (
            e
            for e in course_certifiable_enrolments(course)
            if e.learner_id == form.cleaned_data["learner"]
        ),
        None,
    )
    if enrolment is None:
        raise Http404
    try:
        document = services.certificate_issue(
            kind=Kind.PARTICIPATION,
            learner=enrolment.learner,
            course=course,
            module=form.cleaned_data["module"],
            by=request.user,
            language=form.cleaned_data["language"] or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certificates-course", course_pk=course.pk)
    return redirect("certificates-document", pk=document.pk)


@login_required
@require_POST
def placement_issue(request: HttpRequest, placement_pk: int) -> HttpResponse:
    """The internship certificate of a placement, issued from the placement's page."""
    placement = placement_for_staff(user=request.user, pk=placement_pk)
    try:
        document = services.certificate_issue(
            kind=Kind.INTERNSHIP,
            learner=placement.learner,
            placement=placement,
            by=request.user,
            language=request.POST.get("language") or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("internships-placement", pk=placement.pk)
    return redirect("certificates-document", pk=document.pk)


@login_required
@require_POST
def course_batch(request: HttpRequest, course_pk: int) -> HttpResponse:
    course = course_for_staff(user=request.user, pk=course_pk)
    form = BatchForm(request.POST, course=course)
    if not form.is_valid():
        messages.error(request, _("Please check the input."))
        return redirect("certificates-course", course_pk=course.pk)
    try:
        batch = services.certificate_batch_start(
            course=course,
            by=request.user,
            module=form.cleaned_data["module"],
            language=form.cleaned_data["language"] or None,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certificates-course", course_pk=course.pk)
    return redirect("certificates-batch", pk=batch.pk)


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_for_staff(user=request.user, pk=pk)
    return render(request, "certificates/batch.html", {"batch": batch})


def _batch_state(batch: CertificateBatch) -> dict:
    return {
        "status": batch.status,
        "status_label": str(batch.get_status_display()),
        "done": batch.done,
        "total": batch.total,
        "percent": batch.percent,
        "pdf_url": reverse("certificates-batch-pdf", args=[batch.pk])
        if batch.status == CertificateBatch.Status.DONE
        else None,
    }


@never_cache
@login_required
def batch_status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(_batch_state(batch_for_staff(user=request.user, pk=pk)))


@login_required
def batch_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    batch = batch_for_staff(user=request.user, pk=pk)
    data = CertificateBatch.objects.values_list("pdf", flat=True).get(pk=batch.pk)
    if not data:
        raise Http404
    return _pdf_response(data, f"certificates-course-{batch.course_id}.pdf")


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for_staff(user=request.user, pk=pk)
    return render(
        request,
        "certificates/document.html",
        {"document": document, "reason_form": ReasonForm()},
    )


@login_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for_download(user=request.user, pk=pk)
    return _pdf_response(
        document.pdf, f"{document.kind}-{document.learner.last_name}-v{document.version}.pdf"
    )


@login_required
@require_POST
def document_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for_staff(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(
                document=document, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The document is revoked."))
    return redirect("certificates-document", pk=document.pk)


@login_required
@require_POST
def document_correct(request: HttpRequest, pk: int) -> HttpResponse:
    document = document_for_staff(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for the correction."))
        return redirect("certificates-document", pk=document.pk)
    try:
        new = services.certificate_correct(
            document=document, by=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("certificates-document", pk=document.pk)
    messages.success(request, _("A corrected version was issued; the old one is revoked."))
    return redirect("certificates-document", pk=new.pk)


@never_cache
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: is this a genuine document? Shows only initial and surname, type, dates, status."""
    if over_limit(request, scope="verify"):
        response = render(request, "certificates/verify.html", {"state": "limited"}, status=429)
        response["Retry-After"] = "60"
        return response
    document = verification_lookup(code)
    if document is None:
        return render(request, "certificates/verify.html", {"state": "unknown"}, status=404)
    facts = dict(document.facts)
    for key in ("date_from", "date_to"):
        facts[key] = date.fromisoformat(facts[key]) if facts.get(key) else None
    return render(
        request,
        "certificates/verify.html",
        {
            "state": "revoked" if document.is_revoked else "valid",
            "facts": facts,
            "kind_label": Kind(document.kind).label,
            "document": document,
        },
    )
