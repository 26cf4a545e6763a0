"""What every enrolment page shares: the staff door and how a domain error is shown."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest

from core.errors import DomainError
from people.models import Role


def staff_required(view):
    """Logged in and staff of at least one provider; others get 404."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.provider_ids(role=Role.STAFF):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _fail(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)
