"""What a session carries for its person: how long it lives, and in which language it reads.

Sessions by role: a learner's own phone stays signed in; a working account does not.

Staff, teachers, caseworkers, administrators (anyone with a working role or admin access) are
signed out after ``WORK_SESSION_IDLE_SECONDS`` without a request: their sessions open other
people's data on shared office computers. The expiry is renewed at most every
``WORK_SESSION_RENEW_SECONDS``, so an active session is not written on every request.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.utils import translation

from people.models import Role, User

#: Roles that keep the long session of a personal phone.
PERSONAL_ROLES = frozenset({Role.VOLUNTEER})


def is_working_account(user: User) -> bool:
    """Admin access, or any role other than the personal ones."""
    if user.is_staff or user.is_superuser:
        return True
    return any(m.role not in PERSONAL_ROLES for m in user.role_memberships())


class WorkSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self.working(request, user):
            now = int(time.time())
            renewed = request.session.get("work_session_renewed", 0)
            if now - renewed >= settings.WORK_SESSION_RENEW_SECONDS:
                request.session.set_expiry(settings.WORK_SESSION_IDLE_SECONDS)
                request.session["work_session_renewed"] = now
        return self.get_response(request)

    @staticmethod
    def working(request, user: User) -> bool:
        """Decided at login (``remember_account_kind``), or at the first request of an older
        session, so a request does not read the roles again."""
        known = request.session.get(SESSION_KEY)
        if known is None or known[0] != user.pk:
            known = remember_account_kind(sender=None, request=request, user=user)
        return bool(known[1])


SESSION_KEY = "work_session_user"


def remember_account_kind(sender, request, user, **kwargs) -> list:
    """``user_logged_in`` receiver: note in the session whether this is a working account."""
    known = [user.pk, is_working_account(user)]
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = known
        if known[1]:  # the idle clock starts at login, so the first request writes nothing
            request.session.set_expiry(settings.WORK_SESSION_IDLE_SECONDS)
            request.session["work_session_renewed"] = int(time.time())
    return known


LANGUAGE_SESSION_KEY = "stored_language"


def stored_language(user: User) -> str:
    """A learner's language from their learner record (chosen at registration, kept by staff).
    Empty for everyone else: staff and volunteers read in the language of their browser or
    switcher, since their account's default was never a choice."""
    learner = getattr(user, "learner", None)
    language = learner.preferred_language if learner is not None else ""
    return language if language in dict(settings.LANGUAGES) else ""


def remember_language(sender, request, user, **kwargs) -> list:
    """``user_logged_in`` receiver: note the person's stored language in the session, so a request
    does not read it again."""
    known = [user.pk, stored_language(user)]
    if request is not None and hasattr(request, "session"):
        request.session[LANGUAGE_SESSION_KEY] = known
    return known


def use_language(request, language: str) -> None:
    """Pages in ``language`` unless the visitor chose one with the language switch (the cookie):
    a choice made on this phone wins over what is stored."""
    if language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(language)
        request.LANGUAGE_CODE = language


class StoredLanguageMiddleware:
    """A signed-in learner reads every page in their stored language without touching the
    switcher: a learner who registered in Farsi gets Farsi on the phone of a friend whose
    browser asks for German. Runs after authentication; the language is read once per session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            known = request.session.get(LANGUAGE_SESSION_KEY)
            if known is None or known[0] != user.pk:
                known = remember_language(sender=None, request=request, user=user)
            use_language(request, known[1])
        return self.get_response(request)
