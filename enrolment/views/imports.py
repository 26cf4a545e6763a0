"""Staff: the learner import, a preview of every row before anything is written."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from enrolment import forms, services
from enrolment.views.base import _fail, staff_required
from people.models import Role

# --- staff: import ------------------------------------------------------------------------------


@staff_required
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a learner file: the dry run shows what would happen, row by row."""
    from people.models import Organisation

    providers = Organisation.objects.filter(pk__in=request.user.provider_ids(role=Role.STAFF))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        provider = get_object_or_404(providers, pk=request.POST.get("provider") or providers[0].pk)
        upload = form.cleaned_data["file"]
        try:
            batch, _summary = services.learner_import_preview(
                provider=provider, by=request.user, file_name=upload.name, content=upload.read()
            )
            return redirect("enrolment-import-batch", pk=batch.pk)
        except DomainError as exc:
            form.add_error("file", exc.message)
    return render(request, "enrolment/import_upload.html", {"form": form, "providers": providers})


@staff_required
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    from enrolment.models import LearnerImport

    batch = get_object_or_404(
        LearnerImport.objects.filter(provider_id__in=request.user.provider_ids(role=Role.STAFF)),
        pk=pk,
    )
    if request.method == "POST":
        try:
            summary = services.learner_import_run(
                batch=batch, by=request.user, only_valid=bool(request.POST.get("only_valid"))
            )
            messages.success(
                request,
                _("Imported: %(new)s new, %(update)s updated.")
                % {"new": summary["new"], "update": summary["update"]},
            )
        except DomainError as exc:
            _fail(request, exc)
        return redirect("enrolment-import-batch", pk=batch.pk)
    summary = batch.summary
    rows = summary.get("rows", [])
    sections = [
        (kind, title, [r for r in rows if r["kind"] == kind])
        for kind, title in (
            ("invalid", _("Rows with problems")),
            ("changed", _("Known learners with changes")),
            ("new", _("New learners")),
            ("unchanged", _("Unchanged (left as they are)")),
        )
    ]
    return render(
        request,
        "enrolment/import_batch.html",
        {
            "batch": batch,
            "summary": summary,
            "sections": [
                (k, t, r[:PREVIEW_ROWS], len(r), max(0, len(r) - PREVIEW_ROWS))
                for k, t, r in sections
            ],
        },
    )


#: Rows listed per section of an import preview (the counts cover all).
PREVIEW_ROWS = 2000
