"""The referred person's page: they type (or scan) the code their counsellor gave them, read
which data would go to whom for what, and agree or not. No login: the person is often nobody's
learner yet; the code is the key, and it is used up by the answer.

Learner-facing: every string in all seven languages, right to left for Arabic and Farsi, and
the code travels only in POST bodies (a link preview of ``/referrals/confirm/<code>/`` reads
nothing and uses nothing up).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.ratelimit import over_limit
from courses.models import CourseType
from referrals import services
from referrals.models import Consent, DataItem, Purpose, Referral


class ConfirmForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)


def _values(referral: Referral, item: str) -> list[str]:
    """The values of one consented item, as the receiver would see them."""
    if item == DataItem.IDENTITY:
        born = referral.date_of_birth.strftime("%d.%m.%Y") if referral.date_of_birth else ""
        return [v for v in (referral.full_name, born) if v]
    if item == DataItem.CONTACT:
        return [v for v in (referral.phone, referral.email) if v]
    if item == DataItem.LANGUAGES:
        return [referral.languages] if referral.languages else []
    if item == DataItem.LEVEL:
        return [referral.level] if referral.level else []
    if item == DataItem.NOTE:
        return [referral.note] if referral.note else []
    return []


def _what(consent: Consent) -> dict:
    """Exactly what the consent hands over: to whom, from whom, for what, which data."""
    referral = consent.referral
    course_type = None
    code = referral.course.course_type.code if referral.course else referral.course_type_code
    if code and referral.purpose in (Purpose.COURSE, Purpose.COURSE_TYPE):
        course_type = CourseType.objects.current().filter(code=code).first()
    items = [
        {
            "item": item,
            "label": DataItem(item).label,
            "values": _values(referral, item),
            "staff_text": item in (DataItem.LANGUAGES, DataItem.NOTE),
        }
        for item in DataItem.values
        if item in consent.items and item != DataItem.PROGRESS
    ]
    return {
        "sender": referral.sender_organisation,
        "receiver": consent.recipient,
        "purpose": Purpose(consent.purpose).label,
        "course_type": course_type,
        "course_start": referral.course.start_date if referral.course else None,
        "items": items,
        "progress": DataItem.PROGRESS in consent.items,
        "legal_basis": consent.legal_basis,
        "expires_at": consent.code_expires_at,
    }


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, code: str = "") -> HttpResponse:
    """GET: the code field (filled from a scanned QR). POST ``show``: what goes to whom for
    what; POST ``agree`` or ``refuse``: the answer, which uses the code up."""
    lang = request.POST.get("lang") or request.GET.get("lang") or ""
    if lang in dict(settings.LANGUAGES):
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
    else:
        lang = ""
    form = ConfirmForm(request.POST or None, initial={"code": code})
    context: dict = {"form": form, "lang": lang, "state": "ask"}
    status = 200
    if request.method == "POST":
        if over_limit(request, scope="verify"):
            context["state"] = "limited"
            response = render(request, "referrals/confirm.html", context, status=429)
            response["Retry-After"] = "60"
            return response
        action = request.POST.get("action", "show")
        if form.is_valid():
            typed = form.cleaned_data["code"]
            try:
                if action == "agree":
                    consent = services.consent_confirm(code=typed)
                    context.update(state="agreed", receiver=consent.recipient)
                elif action == "refuse":
                    services.consent_refuse(code=typed)
                    context["state"] = "refused"
                else:
                    consent = services.consent_for_code(code=typed)
                    context.update(state="show", what=_what(consent), code=typed)
            except DomainError as exc:
                form.add_error("code", exc.message)
        if form.errors:
            status = 400
    return render(request, "referrals/confirm.html", context, status=status)
