"""The billing print job: the billing list of a module, the module's attendance list
(Anwesenheitsliste) and the daily signature sheets of every course day of the module, in one
PDF — the originals BAMF wants with the claim, in the order they go into the envelope.

Each document comes from its own HTML template (the attendance list and the signature sheets
from the register's templates and contexts, ``attendance.documents``, so they are the very pages
the register prints); WeasyPrint renders each and the pages are joined, so each keeps its own
page layout (the signature sheets of all days are one document: rendered in one pass, they
take a fifth of the time twenty documents take)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from attendance.documents import (
    module_list_context,
    signature_sheet_day,
    signature_sheets_context,
)
from attendance.selectors import module_register, register_rows
from billing.models import Claim
from billing.selectors import ClaimTable
from billing.selectors.fees import TestFeeRow, fees_total
from courses.models import Session


def attendance_list_context(claim: Claim) -> dict[str, Any]:
    """The context of ``attendance/pdf/module_list.html`` for the claim's module."""
    data = module_register(course=claim.course, module=claim.module)
    return module_list_context(course=claim.course, module=claim.module, data=data)


def module_days(claim: Claim) -> list[Session]:
    """The course days of the claim's module that are held (not cancelled), in order; for an
    issued claim only those of its period (days added later are not on it)."""
    days = (
        Session.objects.held()
        .filter(course=claim.course, module=claim.module)
        .select_related("course__provider", "course__location", "course__course_type", "module")
        .select_related("signoff")
        .order_by("date", "start_time")
    )
    if claim.is_issued and claim.first_day and claim.last_day:
        days = days.filter(date__gte=claim.first_day, date__lte=claim.last_day)
    return list(days)


def signature_sheets(claim: Claim) -> str:
    """The signature sheets of every course day of the module, as one document ("" without
    days): each day lists the learners of the course that day (``register_rows``: three
    queries a day)."""
    days = [
        signature_sheet_day(session=day, rows=register_rows(session=day))
        for day in module_days(claim)
    ]
    if not days:
        return ""
    return render_to_string("attendance/pdf/signature_sheet.html", signature_sheets_context(days))


def billing_print_job(
    claim: Claim,
    table: ClaimTable,
    *,
    fees: list[TestFeeRow],
    ground_label: Callable[[str], str],
) -> bytes:
    """Billing list (with the travel subsidy per line and the module's test fees, each with its
    rule version), attendance list and signature sheets of the module as one PDF (German, as
    BAMF's forms)."""
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
                    "fees": fees,
                    "fees_total": fees_total(fees),
                    "ground_label": ground_label,
                },
            ),
            render_to_string("attendance/pdf/module_list.html", attendance_list_context(claim)),
            signature_sheets(claim),
        ]
    documents = [HTML(string=html, base_url=".").render() for html in parts if html]
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
