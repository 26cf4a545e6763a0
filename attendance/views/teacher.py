"""The teacher's pages: own courses, the register (Anwesenheitsliste) and sign-off, the rotating
check-in QR and the card scanner."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_POST

from attendance import access, selectors, services, tokens
from attendance.models import (
    AbsenceReason,
    Code,
    reason_label,
)
from attendance.views.common import parse_time
from core.errors import DomainError
from core.params import id_or_404
from core.qr import qr_svg
from courses.models import Module
from people.models import Role


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
            "field_error": request.session.pop("att_field_error", None),
            "joined_today": {
                r.enrolment.pk
                for r in rows
                if selectors.joined_on(r.enrolment, session.date, session.course.start_date)
            },
        },
    )


@login_required
@require_POST
def register_mark(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.session_for_teacher(user=request.user, pk=pk)
    enrolment = access.enrolment_in_session(
        session=session, pk=id_or_404(request.POST.get("enrolment"))
    )
    kwargs = {}
    if "reason_id" in request.POST:
        reason_id = request.POST.get("reason_id")
        kwargs["absence_reason"] = (
            get_object_or_404(AbsenceReason, pk=int(reason_id)) if reason_id else None
        )
    try:
        if "arrived_at" in request.POST:
            kwargs["arrived_at"] = parse_time(request.POST.get("arrived_at"))
        if "left_at" in request.POST:
            kwargs["left_at"] = parse_time(request.POST.get("left_at"))
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
        if exc.field in ("arrived_at", "left_at", "code"):
            # Shown again beside the field it concerns (the register is a redirect away).
            request.session["att_field_error"] = {
                "enrolment": enrolment.pk,
                "field": exc.field,
                "message": exc.message,
            }
    return redirect(reverse("attendance-register", args=[session.pk]) + f"#e{enrolment.pk}")


@login_required
@require_POST
def register_sign(request: HttpRequest, pk: int) -> HttpResponse:
    session = access.session_for_teacher(user=request.user, pk=pk)
    if request.POST.get("confirm") != "1" and not selectors.is_locked(session):
        # First the summary of what signing records, then the teacher confirms.
        rows = selectors.register_rows(session=session)
        return render(
            request,
            "attendance/sign_confirm.html",
            {
                "session": session,
                "summary": selectors.sign_summary(rows=rows, session=session),
            },
        )
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
    from core.links import absolute

    return absolute(path)


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
