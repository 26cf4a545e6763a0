"""Caseworker portal: look a client up by customer number and date of birth, see the same data
as the API, download the proof of registration and the participation certificate."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from jobcenter import documents, selectors, services
from jobcenter.access import enrolment_for_caseworker, jobcenter_for_caseworker
from jobcenter.forms import LookupForm
from jobcenter.models import AccessLogEntry
from jobcenter.selectors import LearnerRecord


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def portal(request: HttpRequest) -> HttpResponse:
    """Lookup by POST (customer data stays out of URLs and server logs); every request logged."""
    jobcenter = jobcenter_for_caseworker(user=request.user)
    result = None
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = selectors.verification_results(
            jobcenter_id=jobcenter.pk,
            participants=[
                (form.cleaned_data["customer_number"], form.cleaned_data["date_of_birth"])
            ],
            with_ids=True,
        )
        result = answer.results[0]
        _log(request, jobcenter.pk, 200, answer.shared)
    else:
        _log(request, jobcenter.pk, 200, ())
    return render(
        request,
        "jobcenter/portal.html",
        {
            "jobcenter": jobcenter,
            "form": form,
            "result": result,
            "documents": documents.available(),
        },
    )


@never_cache
@login_required
def enrolment_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A PDF about one enrolment of a linked client (proof of registration or certificate)."""
    builder = documents.available().get(kind)
    if builder is None:
        raise Http404
    jobcenter = jobcenter_for_caseworker(user=request.user)
    enrolment = enrolment_for_caseworker(user=request.user, pk=pk, part=builder.part)
    if enrolment.status not in documents.STATUSES[kind]:
        raise Http404
    try:
        pdf = builder.build(enrolment)
    except DomainError as exc:
        raise Http404 from exc
    _log(request, jobcenter.pk, 200, [LearnerRecord(enrolment.learner_id, [f"pdf.{kind}"])])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{kind}-{enrolment.pk}.pdf"'
    return response


def _log(request: HttpRequest, jobcenter_id: int, status: int, records) -> None:
    services.access_log_write(
        channel=AccessLogEntry.Channel.PORTAL,
        method=request.method,
        path=request.path,
        status_code=status,
        records=records,
        jobcenter_id=jobcenter_id,
        user=request.user,
    )
