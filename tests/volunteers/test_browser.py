"""Browser test: a volunteer with a shift scans the language café's session QR while logged out,
logs in, and is checked in — the same QR and the same answer page as learners. Playwright drives
Debian's Chromium (never a downloaded browser)."""

import os
import pathlib

import pytest
from django.urls import reverse

from attendance import tokens
from tests.factories import PASSWORD
from volunteers.models import HoursEntry, ShiftAssignment

CHROMIUM = pathlib.Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync"]

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


def test_volunteer_checks_in_to_a_language_cafe_by_qr(browser, live_server, vw, cafe_today):
    session = cafe_today.session
    url = (
        live_server.url
        + reverse("attendance-checkin", args=[session.pk])
        + "?t="
        + tokens.session_token(session.pk)
    )
    context = browser.new_context(locale="de-DE", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(url)
    assert "/login/" in page.url
    page.fill("#id_username", vw.volunteer.user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#checkin-result")
    assert page.get_attribute("#checkin-result", "data-code") == "checked_in"
    assert "result-ok" in page.get_attribute("#checkin-result", "class")
    assert "Schicht" in page.inner_text("#checkin-result")
    assignment = ShiftAssignment.objects.get(shift=cafe_today.shift, volunteer=vw.volunteer)
    assert assignment.checked_in_at is not None
    assert HoursEntry.objects.get(shift_assignment=assignment).minutes == 120
    # the volunteer's page shows the shift as checked in
    page.goto(live_server.url + reverse("volunteers-home"))
    assert "Eingecheckt" in page.inner_text("#my-shifts")
    context.close()
