"""The learner's side: apply, register from the catalogue, the proof of registration."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.pdf import render_pdf
from core.ratelimit import over_limit
from courses.models import Course
from enrolment import access, forms, services
from enrolment.models import Enrolment
from enrolment.views.base import _fail
from people.models import Learner, User

# --- learner side -------------------------------------------------------------------------------


@login_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    learner = access.learner_of(request.user)
    course = get_object_or_404(
        Course.objects.public().filter(provider_id=learner.provider_id), pk=pk
    )
    try:
        services.application_create(course=course, learner=learner)
        messages.success(
            request, _("Your application was sent. The course office will contact you.")
        )
    except DomainError as exc:
        _fail(request, exc)
    return redirect("learner-home")


def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register from the catalogue (name, birth date, phone or e-mail, language) and apply."""
    course = get_object_or_404(Course.objects.public().select_related("provider"), pk=pk)
    if request.user.is_authenticated and getattr(request.user, "learner", None):
        return redirect("course-detail", pk=pk)
    form = forms.RegisterForm(
        request.POST or None, initial={"preferred_language": translation.get_language()}
    )
    if request.method == "POST" and _registration_limited(request):
        # per address and per identity (name and birth date), so neither a flood from one
        # address nor one identity sent from many creates learners in bulk
        form.add_error(None, _("Too many attempts. Please try again in a minute."))
        return render(
            request, "enrolment/register.html", {"form": form, "course": course}, status=429
        )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.learner_register(provider=course.provider, **form.cleaned_data)
            if registration.is_new:
                services.application_create(course=course, learner=registration.learner)
            else:  # the same answer as for a new registration: nothing tells who is registered
                _application_quietly(course=course, learner=registration.learner)
        except DomainError as exc:
            _fail(request, exc)
        else:
            messages.success(
                request, _("You are registered. The course office will confirm your application.")
            )
            if registration.is_new:  # a known person's account is never handed to this phone
                _login(request, registration.learner.user)
            return redirect("learner-home")
    return render(request, "enrolment/register.html", {"form": form, "course": course})


def _application_quietly(*, course: Course, learner: Learner) -> None:
    """The application of an already registered person (staff see it); a refusal (already
    applied, already enrolled) is not shown, as it would tell a stranger about the person."""
    try:
        with transaction.atomic():
            services.application_create(course=course, learner=learner)
    except DomainError:
        pass


def _registration_limited(request: HttpRequest) -> bool:
    identity = "|".join(
        request.POST.get(field, "") for field in ("first_name", "last_name", "date_of_birth")
    )
    return over_limit(request, scope="register", identity=identity)


def _login(request: HttpRequest, user: User) -> None:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.set_expiry(settings.SESSION_COOKIE_AGE)  # this phone stays logged in


def confirmation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Anmeldebestätigung for the Jobcenter: the learner's own, or staff of the provider."""
    if not request.user.is_authenticated:
        raise Http404
    enrolment = access.enrolment_for_user(user=request.user, pk=pk)
    if enrolment.status not in (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED):
        raise Http404
    pdf = render_pdf(
        "enrolment/confirmation_pdf.html",
        {
            "enrolment": enrolment,
            "learner": enrolment.learner,
            "course": enrolment.course,
            "today": timezone.localdate(),
        },
        language="de",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="anmeldebestaetigung-{enrolment.pk}.pdf"'
    return response
