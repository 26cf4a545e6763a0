"""No server error on malformed input: every URL pattern is walked with a NUL byte and with
non-numeric ids and out-of-range dates in the query and the form, as anonymous and as staff."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import build_world

GARBAGE = {
    name: "abc"
    for name in (
        "id",
        "pk",
        "page",
        "course",
        "learner",
        "enrolment",
        "module",
        "session",
        "location",
        "provider",
        "slot",
        "booking",
        "placement",
        "employer",
        "status",
        "level",
        "kind",
        "course_type",
        "month",
        "year",
        "week",
        "jobcenter",
        "document",
        "activity",
        "volunteer",
    )
} | {"date": "9999-99-99", "start_date": "9999-12-31", "day": "0000-00-00"}


def concrete_urls() -> list[str]:
    """One concrete URL per pattern: ints → 1, other converters → a word."""
    urls: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if route.startswith("^") or "(?P" in route:  # regex routes (admin, static)
                continue
            if route.startswith("admin/") or route.startswith("__"):
                continue
            part = route
            for conv, value in (("<int:", "1"), ("<str:", "x"), ("<slug:", "x"), ("<path:", "x")):
                while conv in part:
                    start = part.index(conv)
                    part = part[:start] + value + part[part.index(">", start) + 1 :]
            while "<" in part:
                start = part.index("<")
                part = part[:start] + "x" + part[part.index(">", start) + 1 :]
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + part)
            elif isinstance(p, URLPattern):
                urls.append("/" + prefix + part)

    walk(get_resolver().url_patterns, "")
    return sorted(set(urls))


@pytest.fixture
def world_users(db):
    world = build_world()
    return {"anonymous": None, "staff": world.a.staff, "teacher": world.a.teacher}


def test_every_url_answers_malformed_input_without_a_server_error(world_users, client):
    client.raise_request_exception = False
    failures = []
    urls = concrete_urls()
    assert len(urls) > 50  # the walk found the project's pages
    for who, user in world_users.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            for method, target, data in (
                ("get", url + "%00", None),
                ("get", url, {"status": "\x00"}),
                ("get", url, GARBAGE),
                ("post", url, GARBAGE),
            ):
                response = getattr(client, method)(target, data)
                if response.status_code >= 500:
                    failures.append((who, method, target, response.status_code))
    assert failures == [], "\n".join(map(str, failures))


def test_a_20_mb_upload_is_refused_before_parsing(world_users, client, settings):
    """The body is never read: a 413 with the limit in words, whatever the page."""
    settings.MAX_REQUEST_BYTES = 10 * 1024 * 1024
    client.force_login(world_users["staff"])
    big = b"Nachname;Vorname;Geburtsdatum\n" + b"Muster;Max;01.01.1990\n" * 910_000
    assert len(big) > 20_000_000
    r = client.generic(
        "POST", "/staff/enrolment/import/", big, content_type="text/csv", HTTP_X_REQUESTED_WITH="x"
    )
    assert r.status_code == 413
    assert "10 MB" in r.content.decode()
