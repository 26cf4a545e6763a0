"""The one door to the learner area: the learner of ``request.user``, 404 for everyone else.

Staff, teachers, caseworkers and volunteers have no learner record and get 404, so the pages do
not reveal that they exist; a logged-out visitor is sent to the login page. Every object a page
opens (an enrolment, an absence report) is looked up among the learner's own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from attendance.models import AbsenceReport
from enrolment.models import Enrolment
from people.middleware import use_language
from people.models import Learner, User


def learner_of(user: User | AnonymousUser) -> Learner:
    """The learner record behind a login; 404 for anyone else."""
    learner = getattr(user, "learner", None) if user.is_authenticated else None
    if learner is None:
        raise Http404
    return learner


def use_learner_language(request: HttpRequest, learner: Learner) -> None:
    """The learner's stored language, unless they chose one with the language switch (for the
    request that logs in; later requests get it from ``StoredLanguageMiddleware``)."""
    use_language(request, learner.preferred_language)


def learner_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the learner area: logged in, a learner (404 otherwise), in their language.
    The view is called with the learner as its second argument."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        learner = learner_of(request.user)
        return view(request, learner, *args, **kwargs)

    return wrapper


def enrolment_of(learner: Learner, pk: int) -> Enrolment:
    return get_object_or_404(
        Enrolment.objects.filter(learner=learner).select_related(
            "course__course_type", "course__location", "course__provider", "module"
        ),
        pk=pk,
    )


def report_of(learner: Learner, pk: int) -> AbsenceReport:
    return get_object_or_404(AbsenceReport.objects.filter(learner=learner), pk=pk)
