"""Getting in: the one-time code from the course office (the login page links here), and a
password for those who want one. No e-mail is needed for either."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from core.errors import DomainError
from enrolment import services as enrolment_services
from enrolment.forms import CodeForm
from learner_area.access import learner_page, use_learner_language
from people.models import Learner


def _safe_next(request: HttpRequest) -> str:
    """Where to go after the login: a local ``next`` (a check-in scanned before logging in)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else ""


@never_cache
@sensitive_post_parameters("code")
def code_login(request: HttpRequest, code: str = "") -> HttpResponse:
    """A printed code (or its QR) logs the phone in; a button press, so a link preview cannot use
    the code up. A login that started from a check-in QR goes on to that check-in."""
    form = CodeForm(request.POST or None, initial={"code": code})
    next_url = _safe_next(request)
    lang = request.POST.get("lang") or request.GET.get("lang") or ""
    if lang in dict(settings.LANGUAGES):  # the language the login page's link was written in
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
    else:
        lang = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = enrolment_services.login_code_redeem(code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session.set_expiry(settings.SESSION_COOKIE_AGE)  # this phone stays logged in
            learner = getattr(user, "learner", None)
            if learner is not None:
                use_learner_language(request, learner)
            return redirect(next_url or "learner-home")
    return render(
        request,
        "learner_area/code_login.html",
        {"form": form, "code": code, "next": next_url, "lang": lang},
        status=400 if request.method == "POST" else 200,
    )


@sensitive_post_parameters()
@learner_page
def password(request: HttpRequest, learner: Learner) -> HttpResponse:
    """Set a password (first time: no old one to give) or change it; codes keep working."""
    user = request.user
    form_class = PasswordChangeForm if user.has_usable_password() else SetPasswordForm
    form = form_class(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(request, _("Your password is saved. You can log in with it from now on."))
        return redirect("learner-home")
    return render(
        request,
        "learner_area/password.html",
        {
            "form": form,
            "username": user.get_username(),
            "first_time": form_class is SetPasswordForm,
        },
    )


def my_courses_moved(request: HttpRequest) -> HttpResponse:
    """The old "My courses" address: the learner's home page replaced it."""
    return redirect("learner-home", permanent=True)
