"""In the browser, on a 360 px phone: code login → check-in → attendance → absence report, per
script direction (German, Arabic, Farsi); axe-core on every learner page; nothing scrolls
sideways at 360 px nor at 200 % zoom (180 CSS px). Playwright drives Debian's Chromium."""

from __future__ import annotations

import datetime as dt
import io
import os
import pathlib
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from PIL import Image

from attendance import tokens
from attendance.models import AbsenceReport, AttendanceRecord
from enrolment import services as enrolment_services

CHROMIUM = pathlib.Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BERLIN = ZoneInfo("Europe/Berlin")
PHONE = {"width": 360, "height": 740}
#: Screenshots for a look by eye (``LB_SCREENSHOTS=/some/dir``); not written otherwise.
SHOTS = os.environ.get("LB_SCREENSHOTS")
PAGES = [
    "learner-home",
    "learner-timetable",
    "learner-attendance",
    "learner-absence",
    "learner-offers",
    "learner-documents",
    "learner-data-access",
    "learner-password",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not CHROMIUM.exists():
        if os.environ.get("LB_REQUIRE_BROWSER") == "1":
            pytest.fail("LB_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing")
        pytest.skip("needs /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "white").save(buffer, "JPEG")
    return buffer.getvalue()


WIDEST = """(w) => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > w + 1)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + (e.innerText || '').slice(0, 30))"""


def assert_no_sideways_scroll(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, (page.url, scroll, width, page.evaluate(WIDEST, width))


def shot(page, name: str) -> None:
    if SHOTS:
        pathlib.Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def code_login(page, base: str, code: str) -> None:
    page.click("#code-entry")
    page.wait_for_selector("#code-form")
    page.fill("#id_code", code)
    page.click("#code-form button[type=submit]")


@pytest.mark.parametrize(
    ("lang", "locale", "direction"),
    [("de", "de-DE", "ltr"), ("ar", "ar", "rtl"), ("fa", "fa-IR", "rtl")],
)
def test_code_login_check_in_attendance_and_absence_on_a_phone(
    me, browser, live_server, monkeypatch, lang, locale, direction
):
    me.learner.preferred_language = lang
    me.learner.save()
    me.user.preferred_language = lang
    me.user.save()
    session = me.course.sessions.held().filter(date__gt=me.today).order_by("date").first()
    later = me.course.sessions.held().filter(date__gt=session.date).order_by("date").first()
    start = dt.datetime.combine(session.date, session.start_time, tzinfo=BERLIN)
    monkeypatch.setattr(tokens, "clock", lambda: start.timestamp() + 300)
    _row, code = enrolment_services.login_code_issue(learner=me.learner, by=me.staff)
    scan = (
        live_server.url
        + reverse("attendance-checkin", args=[session.pk])
        + "?"
        + urlencode({"t": tokens.session_token(session.pk)})
    )
    context = browser.new_context(locale=locale, viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(scan)  # the phone camera opens the classroom QR, logged out
    assert "/login/" in page.url
    assert page.get_attribute("html", "dir") == direction
    assert_no_sideways_scroll(page, PHONE["width"])
    shot(page, f"{lang}-login")
    code_login(page, live_server.url, code)
    page.wait_for_selector("#checkin-result")
    assert page.get_attribute("#checkin-result", "data-code") == "checked_in"
    assert page.get_attribute("html", "lang") == lang
    assert "checked_in" not in page.inner_text("body")
    assert AttendanceRecord.objects.filter(session=session, enrolment=me.enrolment).exists()
    shot(page, f"{lang}-checkin")

    page.goto(live_server.url + reverse("learner-attendance"))
    assert page.get_attribute("html", "dir") == direction
    page.wait_for_selector("[data-figure=ue_held]")
    assert_no_sideways_scroll(page, PHONE["width"])
    shot(page, f"{lang}-attendance")

    page.goto(live_server.url + reverse("learner-absence"))
    page.fill("#id_first_day", later.date.isoformat())
    page.check("input[name=reason][value=illness]")
    page.set_input_files(
        "#id_evidence", files=[{"name": "krank.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    page.click("#absence-form button[type=submit]")
    page.wait_for_selector(".message.success")
    report = AbsenceReport.objects.get(learner=me.learner)
    assert (report.first_day, report.reason) == (later.date, "illness") and report.evidence
    assert_no_sideways_scroll(page, PHONE["width"])
    shot(page, f"{lang}-absence")
    assert not [e for e in errors if "Content Security Policy" in e]
    context.close()


@pytest.mark.parametrize(
    ("lang", "locale"),
    [
        ("de", "de-DE"),
        ("en", "en-GB"),
        ("ar", "ar"),
        ("fa", "fa-IR"),
        ("uk", "uk-UA"),
        ("tr", "tr-TR"),
        ("ru", "ru-RU"),
    ],
)
def test_learner_pages_pass_axe_and_never_scroll_sideways(me, browser, live_server, lang, locale):
    """axe-core finds no serious or critical violation; at 360 px and at 200 % zoom (a
    180 CSS px layout viewport) nothing is wider than the screen."""
    from axe_playwright_python.sync_playwright import Axe

    me.learner.preferred_language = lang
    me.learner.save()
    _row, code = enrolment_services.login_code_issue(learner=me.learner, by=me.staff)
    context = browser.new_context(locale=locale, viewport=PHONE)
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    code_login(page, live_server.url, code)
    page.wait_for_url(live_server.url + reverse("learner-home"))
    axe = Axe()
    found = {}
    for name in PAGES:
        page.set_viewport_size(PHONE)
        page.goto(live_server.url + reverse(name))
        assert page.get_attribute("html", "lang") == lang
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']}"
            for v in axe.run(page).response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if violations:
            found[name] = violations
        assert_no_sideways_scroll(page, PHONE["width"])
        shot(page, f"{lang}-{name}")
        page.set_viewport_size({"width": 180, "height": 370})  # 360 px at 200 % zoom
        assert_no_sideways_scroll(page, 180)
    assert not found, found
    context.close()
