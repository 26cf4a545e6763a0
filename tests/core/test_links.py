"""Links in QR codes and mails: PUBLIC_BASE_URL where set, else the serving request's host."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from core.links import FALLBACK, RequestBaseUrlMiddleware, absolute


def _served(host, settings_base, settings):
    settings.PUBLIC_BASE_URL = settings_base
    seen = {}

    def view(request):
        seen["url"] = absolute("/verify/ABC")
        return HttpResponse()

    settings.ALLOWED_HOSTS = ["*"]
    RequestBaseUrlMiddleware(view)(RequestFactory().get("/", HTTP_HOST=host))
    return seen["url"]


def test_the_request_gives_the_host_when_unset(settings):
    assert _served("192.168.1.20:8000", "", settings) == "http://192.168.1.20:8000/verify/ABC"


def test_the_setting_wins(settings):
    url = _served("192.168.1.20:8000", "https://lb.example.org/", settings)
    assert url == "https://lb.example.org/verify/ABC"


def test_outside_a_request_the_fallback(settings):
    settings.PUBLIC_BASE_URL = ""
    assert absolute("/x") == FALLBACK + "/x"
