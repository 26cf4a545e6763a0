"""BAMF documents as PDF: the daily signature sheet (at most 16 learners) and the module's
attendance list."""

from __future__ import annotations

import math

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from attendance import access, selectors
from attendance.views.common import SHEET_SIZE, pdf_response
from core.pdf import render_pdf
from courses.models import Module


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
    return pdf_response(pdf, f"unterschriften-{session.date:%Y-%m-%d}.pdf")


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
    return pdf_response(pdf, f"anwesenheit-{course.pk}-{module.order}.pdf")
