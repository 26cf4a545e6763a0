"""The learner's check-in by session QR: the token survives a login, answers in the learner's
language."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from attendance import services, tokens
from attendance.models import Code
from attendance.participants import ParticipantCheckin
from core.errors import DomainError
from core.ratelimit import client_ip

#: What the learner reads after a scan: what happened and what to do next, never an internal
#: code (the code stays in ``data-code`` for the tests).
ANSWERS = {
    "checked_in": lambda: _("You are checked in. Have a good lesson!"),
    "already_checked_in": lambda: _(
        "You were already checked in. You do not need to do anything else."
    ),
    "recorded_absent": lambda: _(
        "The list says that you are absent today. If you are in the lesson, tell your teacher."
    ),
    "forged": lambda: _(
        "This QR code cannot be read. Please scan the code on your teacher's screen again."
    ),
    "expired": lambda: _(
        "This QR code is too old. Please scan the code on your teacher's screen again."
    ),
    "other_session": lambda: _(
        "This QR code is for another lesson. Please scan the code on the screen in your classroom."
    ),
    "session_cancelled": lambda: _("This lesson is cancelled. You do not need to check in."),
    "outside_window": lambda: _(
        "Check-in is open from 30 minutes before the lesson until it ends. Please scan again then."
    ),
    "not_enrolled": lambda: _(
        "You are not on the list for this course. Please ask your teacher or the course office."
    ),
    # a volunteer of the activity without a shift that day (volunteers' participant handler)
    "no_shift": lambda: _("You have no shift on this date. Please take a free shift first."),
    "day_locked": lambda: _(
        "Your teacher has already closed the list for today. Please tell your teacher that you "
        "are here."
    ),
}


def _answer(code: str) -> str:
    """The words for ``code``; anything unforeseen still says what to do."""
    words = ANSWERS.get(code)
    return words() if words else _("Check-in did not work. Please ask your teacher.")


def _checkin_page(
    request, *, lang: str, ok: bool, code: str, detail: str, status: int, session=None, record=None
):
    """The lean answer page: a plain context (no context processors, no CSRF token, no
    navigation queries), rendered from the cached template in the learner's language."""
    with translation.override(lang):
        content = get_template("attendance/checkin.html").render(
            {
                "ok": ok,
                "code": code,
                "detail": detail,
                "session": session,
                "record": record,
                "SITE_NAME": settings.SITE_NAME,
                "home_url": reverse("home"),
            }
        )
    response = HttpResponse(content, status=status)
    response.headers["Content-Language"] = lang
    return response


@never_cache
def checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """The URL in the session QR. Logged out: the scan is verified and exchanged for a pending
    token that survives the login; logged in: the learner is checked in (idempotently)."""
    token = request.GET.get("t")
    pending = request.GET.get("p")
    user = request.user
    lang = translation.get_language()  # the learner's stored one (StoredLanguageMiddleware)
    if not user.is_authenticated:
        try:
            tokens.verify_session_token(token or "", session_id=pk)
        except tokens.TokenError as exc:
            with translation.override(lang):
                detail = _answer(exc.code)
            return _checkin_page(
                request, lang=lang, ok=False, code=exc.code, detail=detail, status=400
            )
        pending_value, nonce = tokens.pending_token(pk)
        next_url = reverse("attendance-checkin", args=[pk]) + "?" + urlencode({"p": pending_value})
        response = redirect_to_login(next_url)
        response.set_cookie(
            tokens.PENDING_COOKIE,
            nonce,
            max_age=tokens.PENDING_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
        return response
    try:
        if pending:
            p = tokens.verify_pending_token(
                pending, session_id=pk, nonce=request.COOKIES.get(tokens.PENDING_COOKIE)
            )
            at = datetime.fromtimestamp(p.scanned_at, tz=UTC)
        else:
            tokens.verify_session_token(token or "", session_id=pk)
            at = services.now()
    except tokens.TokenError as exc:
        with translation.override(lang):
            detail = _answer(exc.code)
        return _checkin_page(request, lang=lang, ok=False, code=exc.code, detail=detail, status=400)
    device, new_device = tokens.device_of(request)
    with translation.override(lang):
        try:
            result = services.checkin_record(
                session_id=pk,
                user=user,
                at=at,
                device=device,
                device_is_new=new_device,
                address=client_ip(request),
            )
        except DomainError as exc:
            return _checkin_page(
                request,
                lang=lang,
                ok=False,
                code=exc.code,
                # the overlap names the other course (the service's words, in the learner's
                # language); everything else has its fixed answer
                detail=exc.message if exc.code == "overlapping_session" else _answer(exc.code),
                status=exc.status_code,
            )
        if isinstance(result, ParticipantCheckin):  # a volunteer on a shift …: their app's words
            response = _checkin_page(
                request,
                lang=lang,
                ok=True,
                code="checked_in" if result.created else "already_checked_in",
                detail=result.detail,
                status=200,
                session=result.session,
            )
            if pending:
                response.delete_cookie(tokens.PENDING_COOKIE)
            if new_device:
                tokens.remember_device(response, request, device)
            return response
        if result.created:
            code = "checked_in"
        elif result.record.code in (Code.PRESENT, Code.INTERNSHIP):
            code = "already_checked_in"
        else:  # marked absent (a signed day, or the office's decision on a reported absence)
            code = "recorded_absent"
        detail = _answer(code)
    response = _checkin_page(
        request,
        lang=lang,
        ok=code != "recorded_absent",
        code=code,
        detail=detail,
        status=200,
        session=result.record.session,
        record=result.record,
    )
    if pending:
        response.delete_cookie(tokens.PENDING_COOKIE)
    if new_device:
        tokens.remember_device(response, request, device)
    return response
