"""Attendance pages: teacher home, register and sign-off, rotating QR, card scanning, the
learner's check-in, staff corrections and evidence, BAMF PDFs and learner cards."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from attendance import access, selectors, services, tokens
from attendance.models import (
    AbsenceEvidence,
    AbsenceReason,
    Code,
    LearnerCard,
    reason_label,
)
from core.errors import DomainError
from core.pdf import render_pdf
from core.qr import qr_data_uri, qr_svg
from courses.models import Module
from people.models import Role

SHEET_SIZE = 16  # BAMF: at most 16 learners per signature sheet

TOKEN_MESSAGES = {
    "forged": lambda: _("This check-in code is not valid."),
    "expired": lambda: _(
        "This check-in code has expired. Please scan the code on the screen again."
    ),
    "other_session": lambda: _("This check-in code belongs to another lesson."),
}


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _parse_time(value: str | None) -> time | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.strptime(value, "%H:%M").time()
    except ValueError as exc:
        raise DomainError(_("Enter a time as HH:MM."), code="invalid_time") from exc


# --- teacher ------------------------------------------------------------------------------------


@login_required
def teacher_home(request: HttpRequest) -> HttpResponse:
    """The teacher's courses and today's sessions, with the way to each register."""
    today = services.today()
    return render(
        request,
        "attendance/teacher_home.html",
        {
            "today": today,
            "sessions": selectors.teacher_sessions_on(user=request.user, day=today),
            "courses": selectors.teacher_courses(user=request.user),
            "unsigned": selectors.unsigned_days(
                provider_ids=request.user.provider_ids(), until=today - timedelta(days=1)
            ).filter(course__teachers=request.user)[:20],
        },
    )


@login_required
def course_overview(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.course_for_register(user=request.user, pk=pk)
    today = services.today()
    sessions = (
        course.sessions.held()
        .filter(date__gte=today - timedelta(days=21), date__lte=today + timedelta(days=7))
        .select_related("signoff", "module")
    )
    is_staff = course.provider_id in request.user.provider_ids(role=Role.STAFF)
    modules = Module.objects.filter(sessions__course=course).distinct().order_by("order")
    return render(
        request,
        "attendance/course.html",
        {"course": course, "sessions": sessions, "modules": modules, "is_staff": is_staff},
    )


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """The day's list, prefilled from check-ins; one tap changes a code; sign and lock."""
    session = access.session_for_teacher(user=request.user, pk=pk)
    rows = selectors.register_rows(session=session)
    locked = selectors.is_locked(session)
    is_staff = session.course.provider_id in request.user.provider_ids(role=Role.STAFF)
    return render(
        request,
        "attendance/register.html",
        {
            "session": session,
            "rows": rows,
            "locked": locked,
            "is_staff": is_staff,
            "can_edit": not locked or is_staff,
            "codes": Code.choices,
            "reasons": [(r, reason_label(r)) for r in selectors.absence_reasons()],
            "present": sum(1 for r in rows if r.code == Code.PRESENT),
        },
    )


@login_required
@require_POST
def register_mark(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.session_for_teacher(user=request.user, pk=pk)
    enrolment = access.enrolment_in_session(
        session=session, pk=int(request.POST.get("enrolment") or 0)
    )
    kwargs = {}
    if "reason_id" in request.POST:
        reason_id = request.POST.get("reason_id")
        kwargs["absence_reason"] = (
            get_object_or_404(AbsenceReason, pk=int(reason_id)) if reason_id else None
        )
    try:
        if "arrived_at" in request.POST:
            kwargs["arrived_at"] = _parse_time(request.POST.get("arrived_at"))
        if "left_at" in request.POST:
            kwargs["left_at"] = _parse_time(request.POST.get("left_at"))
        services.record_set(
            session=session,
            enrolment=enrolment,
            by=request.user,
            code=request.POST.get("code") or None,
            note=request.POST.get("note") if "note" in request.POST else None,
            reason=request.POST.get("correction_reason", ""),
            **kwargs,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("attendance-register", args=[session.pk]) + f"#e{enrolment.pk}")


@login_required
@require_POST
def register_sign(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.session_for_teacher(user=request.user, pk=pk)
    try:
        services.day_sign(session=session, by=request.user)
        messages.success(request, _("The day is signed and locked."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("attendance-register", pk=session.pk)


@login_required
def qr_screen(request: HttpRequest, pk: int) -> HttpResponse:
    """The rotating check-in QR for the classroom screen (refreshed by attendance-qr.js)."""
    session = access.session_for_teacher(user=request.user, pk=pk)
    url = checkin_url(session.pk)
    return render(
        request,
        "attendance/qr.html",
        {
            "session": session,
            "qr": qr_svg(url, box_size=12),
            "url": url,
            "rotate_seconds": tokens.ROTATE_SECONDS,
            "locked": selectors.is_locked(session),
        },
    )


def checkin_url(session_id: int, *, slot: int | None = None) -> str:
    token = tokens.session_token(session_id, slot=slot)
    path = reverse("attendance-checkin", args=[session_id]) + "?" + urlencode({"t": token})
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


#: The scan page may compile the vendored ZXing WebAssembly (fallback decoder), nothing more.
SCAN_CSP = {
    **settings.SECURE_CSP,
    "script-src": [*settings.SECURE_CSP["script-src"], CSP.WASM_UNSAFE_EVAL],
}


@csp_override(SCAN_CSP)
@login_required
def scan(request: HttpRequest, pk: int) -> HttpResponse:
    """Learner cards read by the camera (BarcodeDetector or the vendored polyfill) or a USB
    scanner typing into the field; without JavaScript the field posts here."""
    session = access.session_for_teacher(user=request.user, pk=pk)
    result = None
    if request.method == "POST":
        try:
            outcome = services.card_checkin(
                session=session, token=request.POST.get("card", ""), by=request.user
            )
            result = {
                "ok": True,
                "name": outcome.record.enrolment.learner.full_name,
                "created": outcome.created,
            }
        except DomainError as exc:
            result = {"ok": False, "detail": exc.message, "code": exc.code}
    return render(
        request,
        "attendance/scan.html",
        {"session": session, "result": result},
        status=200 if result is None or result["ok"] else 400,
    )


# --- learner check-in ---------------------------------------------------------------------------


def _learner_language(request: HttpRequest, learner=None) -> str:
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        return chosen
    if learner is not None and learner.preferred_language:
        return learner.preferred_language
    user = request.user
    if user.is_authenticated and user.preferred_language:
        return user.preferred_language
    return translation.get_language()


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
    lang = _learner_language(request)
    if not user.is_authenticated:
        try:
            tokens.verify_session_token(token or "", session_id=pk)
        except tokens.TokenError as exc:
            with translation.override(lang):
                detail = TOKEN_MESSAGES[exc.code]()
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
            detail = TOKEN_MESSAGES[exc.code]()
        return _checkin_page(request, lang=lang, ok=False, code=exc.code, detail=detail, status=400)
    with translation.override(lang):
        try:
            result = services.checkin_record(session_id=pk, user=user, at=at)
        except DomainError as exc:
            return _checkin_page(
                request,
                lang=lang,
                ok=False,
                code=exc.code,
                detail=exc.message,
                status=exc.status_code,
            )
        detail = _("You are checked in.") if result.created else _("You were already checked in.")
    response = _checkin_page(
        request,
        lang=lang,
        ok=True,
        code="checked_in" if result.created else "already_checked_in",
        detail=detail,
        status=200,
        session=result.record.session,
        record=result.record,
    )
    if pending:
        response.delete_cookie(tokens.PENDING_COOKIE)
    return response


# --- staff --------------------------------------------------------------------------------------


@login_required
def learner_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """A learner's register entries with corrections, evidence and card (staff only)."""
    learner = access.learner_for_staff(user=request.user, pk=pk)
    return render(
        request,
        "attendance/learner.html",
        {
            "learner": learner,
            "records": selectors.learner_records(learner=learner)[:200],
            "card": selectors.learner_active_card(learner=learner),
            "codes": Code.choices,
            "reasons": [(r, reason_label(r)) for r in selectors.absence_reasons()],
        },
    )


@login_required
@require_POST
def record_correct(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.record_for_staff(user=request.user, pk=pk)
    kwargs = {}
    reason_id = request.POST.get("reason_id")
    if reason_id is not None:
        kwargs["absence_reason"] = (
            get_object_or_404(AbsenceReason, pk=int(reason_id)) if reason_id else None
        )
    try:
        for field in ("arrived_at", "left_at"):
            if field in request.POST:
                kwargs[field] = _parse_time(request.POST.get(field))
        services.record_set(
            session=record.session,
            enrolment=record.enrolment,
            by=request.user,
            code=request.POST.get("code") or None,
            reason=request.POST.get("correction_reason", ""),
            **kwargs,
        )
        messages.success(request, _("The entry was corrected."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("attendance-learner", pk=record.enrolment.learner_id)


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    record = access.record_for_staff(user=request.user, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        try:
            services.evidence_add(
                record=record,
                file=upload,
                by=request.user,
                is_medical_certificate=bool(request.POST.get("is_medical_certificate")),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("The evidence was saved."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("attendance-learner", pk=record.enrolment.learner_id)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files are served to the provider's staff only, never from a public media URL."""
    evidence = get_object_or_404(
        AbsenceEvidence.objects.filter(
            record__session__course__provider_id__in=request.user.provider_ids(role=Role.STAFF)
        ),
        pk=pk,
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def card_issue(request: HttpRequest, pk: int) -> HttpResponse:
    learner = access.learner_for_staff(user=request.user, pk=pk)
    services.card_issue(learner=learner, by=request.user)
    messages.success(request, _("A new card was issued; the previous card no longer works."))
    return redirect("attendance-learner", pk=learner.pk)


@login_required
@require_POST
def card_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    card = access.card_for_staff(user=request.user, pk=pk)
    services.card_revoke(card=card, by=request.user)
    messages.success(request, _("The card was revoked."))
    return redirect("attendance-learner", pk=card.learner_id)


def _card_context(cards: list[LearnerCard]) -> dict:
    return {
        "cards": [
            {"card": c, "learner": c.learner, "qr": qr_data_uri(c.qr_content, box_size=6)}
            for c in cards
        ]
    }


@login_required
def card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    learner = access.learner_for_staff(user=request.user, pk=pk)
    cards = services.cards_ensure(learners=[learner], by=request.user)
    pdf = render_pdf(
        "attendance/pdf/cards.html", {**_card_context(cards), "provider": learner.provider}
    )
    return _pdf_response(pdf, f"card-{learner.pk}.pdf")


@login_required
def course_cards_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    course = access.course_for_staff(user=request.user, pk=pk)
    learners = [
        e.learner
        for e in selectors.enrolments_on(
            course=course, day=max(course.start_date, services.today())
        )
        .select_related("learner")
        .order_by("learner__last_name", "learner__first_name")
    ]
    cards = services.cards_ensure(learners=learners, by=request.user)
    pdf = render_pdf(
        "attendance/pdf/cards.html", {**_card_context(cards), "provider": course.provider}
    )
    return _pdf_response(pdf, f"cards-course-{course.pk}.pdf")


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    provider_ids = request.user.provider_ids(role=Role.STAFF)
    if not provider_ids:
        raise PermissionDenied
    return render(
        request,
        "attendance/alerts.html",
        {
            "alerts": selectors.open_alerts(provider_ids=provider_ids)[:200],
            "unsigned": selectors.unsigned_days(provider_ids=provider_ids)[:200],
        },
    )


# --- BAMF documents -----------------------------------------------------------------------------


@login_required
def signature_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Daily signature sheet: at most 16 learners per sheet, Kommt/Geht, absent fields crossed."""
    session = access.session_for_teacher(user=request.user, pk=pk)
    rows = selectors.register_rows(session=session)
    sheets = [rows[i : i + SHEET_SIZE] for i in range(0, len(rows), SHEET_SIZE)] or [[]]
    pdf = render_pdf(
        "attendance/pdf/signature_sheet.html",
        {
            "session": session,
            "course": session.course,
            "sheets": [
                {"number": n + 1, "offset": n * SHEET_SIZE, "rows": sheet}
                for n, sheet in enumerate(sheets)
            ],
            "sheet_count": len(sheets),
            "locked": selectors.is_locked(session),
        },
        language="de",
    )
    return _pdf_response(pdf, f"unterschriften-{session.date:%Y-%m-%d}.pdf")


@login_required
def module_list_pdf(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    """Anwesenheitsliste per Kursabschnitt: learners × course days with codes and UE totals."""
    course = access.course_for_register(user=request.user, pk=pk)
    module = get_object_or_404(
        Module.objects.filter(sessions__course=course).distinct(), pk=module_pk
    )
    data = selectors.module_register(course=course, module=module)
    days_per_page = 20
    day_pages = [
        data.sessions[i : i + days_per_page] for i in range(0, len(data.sessions), days_per_page)
    ] or [[]]
    pdf = render_pdf(
        "attendance/pdf/module_list.html",
        {
            "course": course,
            "module": module,
            "data": data,
            "pages": [
                {
                    "sessions": page,
                    "rows": [
                        {
                            "row": row,
                            "cells": [row.cells.get(s.pk, "") for s in page],
                        }
                        for row in data.rows
                    ],
                }
                for page in day_pages
            ],
            "page_count": math.ceil(len(data.sessions) / days_per_page) or 1,
        },
        language="de",
    )
    return _pdf_response(pdf, f"anwesenheit-{course.pk}-{module.order}.pdf")
