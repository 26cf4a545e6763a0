"""PDF rendering of issued documents: one WeasyPrint pass for many documents, split per document.

A course batch lays out all certificates in one pass (fonts and styles are loaded once) and then
cuts the result into one PDF per learner; the joined PDF is what staff print.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.qr import qr_data_uri

# Second languages the documents can carry: every language of the learner pages (each complete,
# see tests/core/test_translations_complete.py).
SECOND_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES if code != "de")

LABELS = {
    "participation_title": _("Certificate of participation"),
    "participation_subtitle": _("Certificate of proper participation in a course"),
    "internship_title": _("Internship certificate"),
    "intro": _("This is to certify that"),
    "born": _("born on"),
    "took_part": _("took part in the following course:"),
    "did_internship": _("completed an internship:"),
    "course": _("Course"),
    "course_type": _("Course type"),
    "course_number": _("BAMF course number"),
    "location": _("Location"),
    "period": _("Period"),
    "module": _("Module"),
    "dates": _("Dates"),
    "ue_planned": _("UE planned"),
    "ue_held": _("UE held"),
    "ue_attended": _("UE attended"),
    "excused_days": _("Days absent, excused"),
    "unexcused_days": _("Days absent, unexcused"),
    "internship_days": _("Internship days"),
    "rate": _("Attendance rate"),
    "total": _("Total"),
    "level_reached": _("Level reached"),
    "test_results": _("Test results"),
    "exam": _("Exam"),
    "date": _("Date"),
    "result": _("Result"),
    "none_recorded": _("None recorded"),
    "issued_on": _("Issued on"),
    "issuer": _("Issued by"),
    "signature": _("Signature and stamp"),
    "verify": _("Check this document online"),
    "code": _("Verification code"),
    "version": _("Version"),
    "replaces": _("This version replaces an earlier one."),
    "employer": _("Employer"),
    "supervisor": _("Supervisor"),
    "type": _("Type"),
    "weekly_hours": _("Hours per week"),
    "working_days": _("Working days"),
    "days_absent": _("Days absent"),
    "tasks": _("Tasks"),
    "learning_goals": _("Learning goals"),
    "ue_note": _("1 UE (teaching unit) = 45 minutes."),
}


def bilingual(text, language: str | None):
    """German text, followed by the second language when one is chosen (safe HTML)."""
    with translation.override("de"):
        german = str(text)
    if not language or language == "de":
        return german
    with translation.override(language):
        second = str(text)
    direction = "rtl" if language in settings.LANGUAGES_BIDI else "ltr"
    return format_html(
        '{}<span class="l2" lang="{}" dir="{}">{}</span>', german, language, direction, second
    )


def labels_for(language: str | None) -> dict[str, str]:
    return {key: bilingual(text, language) for key, text in LABELS.items()}


def verify_url(code: str) -> str:
    from core.links import absolute

    return absolute(f"/verify/{code}")


def layout_documents(items: list[dict[str, Any]], *, language: str | None):
    """Lay out ``items`` (one dict per document, each with a ``code``) in one WeasyPrint pass.

    Returns the rendered document and, per item, its pages (write them with ``write_pages``).
    """
    from weasyprint import HTML  # imported lazily: it loads Pango and takes a moment

    for item in items:
        item["qr"] = qr_data_uri(verify_url(item["code"]), box_size=4)
        item["verify_url"] = verify_url(item["code"])
    with translation.override("de"):
        html = render_to_string(
            "certificates/pdf/documents.html",
            {"items": items, "labels": labels_for(language), "language": language},
        )
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    groups: list[list] = []
    for page in document.pages:
        if any(anchor.startswith("start-") for anchor in page.anchors):
            groups.append([page])
        elif groups:
            groups[-1].append(page)
    if len(groups) != len(items):
        raise RuntimeError("could not split the rendered documents")
    return document, groups


def write_pages(document, pages) -> bytes:
    return document.copy(pages).write_pdf()


def render_documents(items: list[dict[str, Any]], *, language: str | None):
    """Lay out ``items`` in one pass; returns the rendered document and each item's PDF bytes."""
    document, groups = layout_documents(items, language=language)
    return document, [write_pages(document, group) for group in groups]


def join_documents(documents: list) -> bytes:
    """One printable PDF from several rendered WeasyPrint documents."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
