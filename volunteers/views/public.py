"""Public pages: "Practise German" (language cafés, homework help, events beside the courses,
with sign-up for learners) and the sign-up form for volunteers, in the learners' languages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.ratelimit import over_limit
from courses.models import Session
from volunteers import services
from volunteers.forms import SignupForm
from volunteers.selectors import practice_dates
from volunteers.services.base import today

#: The languages the volunteer and learner pages offer (all translated, Arabic and Farsi RTL).
PAGE_LANGUAGES = ("de", "en", "ar", "fa", "uk", "tr", "ru")


def language_choices():
    """The page languages with their own names, for the language links on these pages."""
    names = dict(settings.LANGUAGES)
    return [(code, names[code]) for code in PAGE_LANGUAGES if code in names]


def practice(request: HttpRequest) -> HttpResponse:
    """Dates of language cafés, homework help and events in the coming weeks (no login)."""
    dates = practice_dates(today=today())
    signed_up = set()
    learner = getattr(request.user, "learner", None) if request.user.is_authenticated else None
    if learner is not None:
        signed_up = set(
            learner.activity_signups.filter(cancelled_at__isnull=True).values_list(
                "session_id", flat=True
            )
        )
    return render(
        request,
        "volunteers/practice.html",
        {
            "dates": dates,
            "learner": learner,
            "signed_up": signed_up,
            "page_languages": language_choices(),
        },
    )


@login_required
@require_POST
def practice_signup(request: HttpRequest, pk: int) -> HttpResponse:
    learner = getattr(request.user, "learner", None)
    if learner is None:
        raise Http404
    session = get_object_or_404(
        Session.objects.filter(course__volunteer_activity__is_public=True), pk=pk
    )
    try:
        services.activity_signup(session=session, learner=learner)
        messages.success(request, _("You are signed up. See you there!"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("volunteers-practice")


@login_required
@require_POST
def practice_signup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    learner = getattr(request.user, "learner", None)
    if learner is None:
        raise Http404
    signup = get_object_or_404(
        learner.activity_signups.filter(cancelled_at__isnull=True), session_id=pk
    )
    services.activity_signup_cancel(signup=signup)
    messages.success(request, _("Your sign-up is cancelled."))
    return redirect("volunteers-practice")


def signup(request: HttpRequest) -> HttpResponse:
    """The public sign-up form: with an account of one's own, or as the logged-in person."""
    logged_in = request.user.is_authenticated
    form = SignupForm(request.POST or None, logged_in=logged_in)
    if request.method == "POST":
        if over_limit(request, scope="anon"):
            form.add_error(None, _("Too many attempts. Please try again in a minute."))
        elif form.is_valid():
            data = form.cleaned_data
            try:
                profiles = services.volunteer_signup(
                    providers=data["providers"],
                    profile=form.profile(),
                    user=request.user if logged_in else None,
                    first_name=data.get("first_name", ""),
                    last_name=data.get("last_name", ""),
                    email=data.get("email", ""),
                    password=data.get("password", ""),
                    language=get_language() or "de",
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                if not logged_in:
                    login(
                        request,
                        profiles[0].user,
                        backend="django.contrib.auth.backends.ModelBackend",
                    )
                messages.success(
                    request,
                    _("Thank you! We will look at your application and get in touch with you."),
                )
                return redirect("volunteers-home")
    return render(
        request,
        "volunteers/signup.html",
        {"form": form, "logged_in": logged_in, "page_languages": language_choices()},
    )
