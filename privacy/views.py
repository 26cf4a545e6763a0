"""Data-protection pages: the learner's privacy notice and data download, the public notice of a
provider, and the staff pages (overview, a learner's data package and erasure, the record of
processing activities, restricted learners for the data-protection officer)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.pdf import render_pdf
from people.models import Learner, Organisation, Role, User
from privacy import access, selectors
from privacy.exports import processing_record_xlsx
from privacy.models import DataRequest
from privacy.notices import RIGHTS, law_text
from privacy.services.erasure import erasure_plan, learner_erase


def _package_response(learner: Learner, *, language: str, as_json: bool) -> HttpResponse:
    package = selectors.learner_data_package(learner, language=language)
    stamp = timezone.localdate().isoformat()
    if as_json:
        body = json.dumps(package, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
        return response
    pdf = render_pdf(
        "privacy/data_package_pdf.html",
        {
            "package": package,
            "sections": _printable(package),
            "learner": learner,
            "bidi": language in settings.LANGUAGES_BIDI,
        },
        language=language,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.pdf"'
    return response


def _printable(package: dict) -> list[dict]:
    """The package's sections as rows of (label, text) for the PDF."""
    out = []
    for section in package["sections"]:
        labels = section["labels"]
        rows = [
            [(labels[key], _text(record.get(key))) for key in labels]
            for record in section["records"]
        ]
        out.append(
            {
                "title": section["title"],
                "count": len(rows),
                "single": len(rows) == 1,
                "labels": list(labels.values()),
                "rows": rows,
            }
        )
    return out


def _text(value) -> str | None:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder) if value else None
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return value


def _wants_json(request: HttpRequest) -> bool:
    return request.GET.get("format") == "json"


# --- the learner's own pages --------------------------------------------------------------------


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything stored about the logged-in learner: PDF, or JSON with ``?format=json``."""
    learner = access.learner_self(request.user)
    language = translation.get_language()
    return _package_response(learner, language=language, as_json=_wants_json(request))


@login_required
def my_privacy(request: HttpRequest) -> HttpResponse:
    learner = access.learner_self(request.user)
    return _notice_page(request, learner.provider, for_learner=True)


def public_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """A provider's privacy notice for anyone (before registering, for example)."""
    return _notice_page(request, access.public_provider(pk), for_learner=False)


def _notice_page(request: HttpRequest, provider: Organisation, *, for_learner: bool):
    notice = selectors.privacy_notice(provider)
    text = law_text(provider.data_protection_regime)
    return render(
        request,
        "privacy/notice_learner.html" if for_learner else "privacy/notice.html",
        {
            "notice": notice,
            "law": text,
            "rights": RIGHTS,
            "for_learner": for_learner,
            "authority": notice.settings.supervisory_authority or text.authority,
        },
    )


# --- staff and the data-protection officer -------------------------------------------------------


@login_required
def staff_overview(request: HttpRequest) -> HttpResponse:
    providers = access.privacy_providers(request.user)
    ids = [p.pk for p in providers]
    query = (request.GET.get("q") or "").strip()
    found = []
    if query:
        found = list(
            Learner.objects.filter(provider_id__in=ids)
            .filter(_name_matches(query))
            .select_related("provider")
            .order_by("last_name", "first_name", "pk")[:50]
        )
    today = timezone.localdate()
    return render(
        request,
        "privacy/staff_overview.html",
        {
            "providers": [
                {"provider": p, "classes": selectors.provider_class_periods(p, on=today)}
                for p in providers
            ],
            "holds": list(selectors.legal_holds_for(ids)),
            "log": list(selectors.deletion_log_for(ids)),
            "query": query,
            "found": found,
            "today": today,
            "is_dpo": bool(request.user.provider_ids(role=Role.DATA_PROTECTION_OFFICER)),
        },
    )


def _name_matches(query: str) -> Q:
    q = Q()
    for word in query.split()[:4]:
        q &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(bamf_number=word)
    return q


@login_required
def processing_record(request: HttpRequest, pk: int) -> HttpResponse:
    provider = access.provider_for_privacy(user=request.user, pk=pk)
    data = processing_record_xlsx(provider)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="processing-record-{stamp}.xlsx"'
    return response


@login_required
def staff_learner(request: HttpRequest, pk: int) -> HttpResponse:
    learner = access.learner_for_privacy(user=request.user, pk=pk)
    may_erase = learner.restricted_at is None and learner.provider_id in request.user.provider_ids(
        role=Role.STAFF
    )
    return render(
        request,
        "privacy/staff_learner.html",
        {
            "learner": learner,
            "plan": erasure_plan(learner=learner) if may_erase else None,
            "may_erase": may_erase,
        },
    )


@login_required
def staff_learner_data(request: HttpRequest, pk: int) -> HttpResponse:
    """The learner's data package for a request made on paper (recorded as a request)."""
    learner = access.learner_for_privacy(user=request.user, pk=pk)
    DataRequest.objects.create(
        provider_id=learner.provider_id,
        learner=learner,
        kind=DataRequest.Kind.ACCESS,
        handled_by=request.user,
    )
    language = request.GET.get("language") or learner.preferred_language
    if language not in dict(settings.LANGUAGES):
        language = learner.preferred_language
    return _package_response(learner, language=language, as_json=_wants_json(request))


@login_required
@require_POST
def staff_learner_erase(request: HttpRequest, pk: int) -> HttpResponse:
    learner = access.learner_for_erasure(user=request.user, pk=pk)
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Tick the confirmation to erase the data."))
        return redirect("privacy-learner", pk=learner.pk)
    try:
        result = learner_erase(learner=learner, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("privacy-learner", pk=learner.pk)
    if result.learner_deleted:
        messages.success(request, _("The learner's data has been deleted."))
    else:
        messages.success(
            request,
            _(
                "Deleted what may be deleted; what the law requires to keep is restricted "
                "and only visible to the data-protection officer."
            ),
        )
    return redirect("privacy-staff")


@login_required
def restricted(request: HttpRequest) -> HttpResponse:
    """Learners restricted after an erasure request: the data-protection officer only."""
    user: User = request.user
    if not user.provider_ids(role=Role.DATA_PROTECTION_OFFICER):
        raise Http404
    return render(
        request,
        "privacy/restricted.html",
        {"learners": list(selectors.restricted_learners(user))},
    )
