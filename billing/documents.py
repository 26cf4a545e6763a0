"""The billing print job: the billing list of a module followed by the module's attendance list
(Anwesenheitsliste), in one PDF, from their HTML templates (WeasyPrint renders each document and
the pages are joined, so each keeps its own page layout)."""

from __future__ import annotations

import math
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from attendance.selectors import module_register
from billing.models import Claim
from billing.selectors import ClaimTable

DAYS_PER_PAGE = 20  # as the attendance list printed from the register


def attendance_list_context(claim: Claim) -> dict[str, Any]:
    """The context of ``attendance/pdf/module_list.html`` for the claim's module (the same
    selector and page layout as the register's own print)."""
    data = module_register(course=claim.course, module=claim.module)
    day_pages = [
        data.sessions[i : i + DAYS_PER_PAGE] for i in range(0, len(data.sessions), DAYS_PER_PAGE)
    ] or [[]]
    return {
        "course": claim.course,
        "module": claim.module,
        "data": data,
        "pages": [
            {
                "sessions": page,
                "rows": [
                    {"row": row, "cells": [row.cells.get(s.pk, "") for s in page]}
                    for row in data.rows
                ],
            }
            for page in day_pages
        ],
        "page_count": math.ceil(len(data.sessions) / DAYS_PER_PAGE) or 1,
    }


def billing_print_job(claim: Claim, table: ClaimTable, *, ground_label) -> bytes:
    """Billing list and attendance list of the module as one PDF (German, as BAMF's forms)."""
    from weasyprint import HTML  # imported lazily: it loads Pango and takes a moment

    with translation.override("de"):
        parts = [
            render_to_string(
                "billing/pdf/claim.html",
                {
                    "claim": claim,
                    "course": claim.course,
                    "provider": claim.course.provider,
                    "table": table,
                    "ground_label": ground_label,
                },
            ),
            render_to_string("attendance/pdf/module_list.html", attendance_list_context(claim)),
        ]
    documents = [HTML(string=html, base_url=".").render() for html in parts]
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
