"""Malformed requests end before any view: a NUL byte in the path, query or form data answers
400 (databases refuse NUL in text, and no honest client sends one)."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw_query = request.META.get("QUERY_STRING", "")
        has_nul = "\x00" in request.path or "%00" in raw_query or "\x00" in raw_query
        if not has_nul and request.method == "POST":
            content_type = request.content_type or ""
            if content_type.startswith(("application/x-www-form-urlencoded", "multipart/")):
                has_nul = any("\x00" in v for vs in request.POST.lists() for v in vs[1])
        if has_nul:
            return HttpResponseBadRequest(
                _("The request contains a character that is not allowed.")
            )
        return self.get_response(request)
