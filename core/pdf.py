"""PDF documents from HTML templates (WeasyPrint). Fonts come from the system (DejaVu, Noto)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation


def render_pdf(
    template_name: str, context: dict[str, Any], *, language: str | None = None
) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads Pango and takes a moment

    with translation.override(language or translation.get_language()):
        html = render_to_string(template_name, context)
    return HTML(string=html, base_url=".").write_pdf()
