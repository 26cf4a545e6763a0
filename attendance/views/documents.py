"""BAMF documents as PDF: the daily signature sheet (at most 16 learners) and the module's
attendance list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from attendance import access, selectors
from attendance.documents import (
    module_list_context,
    signature_sheet_day,
    signature_sheets_context,
)
from attendance.views.common import pdf_response
from core.pdf import render_pdf
from courses.models import Module


@login_required
def signature_sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Daily signature sheet: at most 16 learners per sheet, Kommt/Geht, absent fields crossed."""
    session = access.session_for_teacher(user=request.user, pk=pk)
    rows = selectors.register_rows(session=session)
    pdf = render_pdf(
        "attendance/pdf/signature_sheet.html",
        signature_sheets_context([signature_sheet_day(session=session, rows=rows)]),
        language="de",
    )
    return pdf_response(pdf, f"unterschriften-{session.date:%Y-%m-%d}.pdf")


@login_required
def module_list_pdf(request: HttpRequest, pk: int, module_pk: int) -> HttpResponse:
    """Anwesenheitsliste per Kursabschnitt: learners × course days with codes and UE totals."""
    course = access.course_for_register(user=request.user, pk=pk)
    module = get_object_or_404(
        Module.objects.filter(sessions__course=course).distinct(), pk=module_pk
    )
    data = selectors.module_register(course=course, module=module)
    pdf = render_pdf(
        "attendance/pdf/module_list.html",
        module_list_context(course=course, module=module, data=data),
        language="de",
    )
    return pdf_response(pdf, f"anwesenheit-{course.pk}-{module.order}.pdf")
