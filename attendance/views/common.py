"""Pieces the attendance pages share: PDF responses, time input, check-in token messages."""

from __future__ import annotations

from datetime import datetime, time

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.errors import DomainError

TOKEN_MESSAGES = {
    "forged": lambda: _("This check-in code is not valid."),
    "expired": lambda: _(
        "This check-in code has expired. Please scan the code on the screen again."
    ),
    "other_session": lambda: _("This check-in code belongs to another lesson."),
}


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def parse_time(value: str | None) -> time | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.strptime(value, "%H:%M").time()
    except ValueError as exc:
        raise DomainError(_("Enter a time as HH:MM."), code="invalid_time") from exc
