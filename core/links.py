"""The base URL for links that leave the page: QR codes, verification links, e-mails.

``PUBLIC_BASE_URL`` wins where it is set (production: the proxy's public name). Where it is not
set, a link made while a request is served uses that request's scheme and host, so QR codes work
on whatever address the app runs (a laptop on the course-room Wi-Fi); outside a request (a
worker, a command) the fallback is the development address.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings

FALLBACK = "http://127.0.0.1:8000"

_request_base: ContextVar[str | None] = ContextVar("request_base", default=None)


def base_url() -> str:
    """The public base URL without a trailing slash."""
    configured = getattr(settings, "PUBLIC_BASE_URL", "")
    return (configured or _request_base.get() or FALLBACK).rstrip("/")


def absolute(path: str) -> str:
    return base_url() + path


class RequestBaseUrlMiddleware:
    """Remembers the serving request's scheme and host for :func:`base_url`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_base.set(request.build_absolute_uri("/").rstrip("/"))
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
