"""Malformed and oversized requests end before any view.

A NUL byte in the path, query or form data answers 400 (databases refuse NUL in text, and no
honest client sends one). A body larger than ``MAX_REQUEST_BYTES`` answers 413 before a byte of
it is parsed (a 20 MB import took a worker to 700 MB and a timeout).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
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


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponseBadRequest(_("The request size is not readable."))
        if length > settings.MAX_REQUEST_BYTES:
            limit_mb = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return HttpResponse(
                _(
                    "The file is too large: at most %(mb)d MB can be uploaded. Split the file and "
                    "upload the parts one after the other."
                )
                % {"mb": limit_mb},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
