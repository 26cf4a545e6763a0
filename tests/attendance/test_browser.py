"""Browser test: a learner scans while logged out, logs in and sees the confirmation; the teacher
signs the day. Playwright drives Debian's Chromium (never a downloaded browser)."""

import os
import pathlib

import pytest
from django.urls import reverse

from attendance import tokens
from attendance.models import AttendanceRecord, SessionSignOff
from tests.factories import PASSWORD

CHROMIUM = pathlib.Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
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


def login(page, base, username, next_url=None):
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.stack button[type=submit]")


def test_logged_out_learner_checks_in_after_login_and_teacher_signs(browser, live_server, att):
    session = att.session
    url = (
        live_server.url
        + reverse("attendance-checkin", args=[session.pk])
        + "?t="
        + tokens.session_token(session.pk)
    )
    learner = att.learners[0]
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(url)
    assert "/login/" in page.url
    login(page, live_server.url, learner.user.username)
    page.wait_for_selector("#checkin-result")
    assert page.get_attribute("#checkin-result", "data-code") == "checked_in"
    assert "result-ok" in page.get_attribute("#checkin-result", "class")
    assert AttendanceRecord.objects.filter(enrolment=att.enrolments[0], code="X").count() == 1
    context.close()

    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    login(page, live_server.url, att.teacher.username)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(live_server.url + reverse("attendance-qr", args=[session.pk]))
    # attendance-qr.js (a static file under the strict CSP) fetches a fresh code
    page.wait_for_selector("#att-qr[data-url]", timeout=10_000)
    assert "/checkin/" in page.get_attribute("#att-qr", "data-url")
    assert not [e for e in errors if "Content Security Policy" in e]
    page.goto(live_server.url + reverse("attendance-register", args=[session.pk]))
    row = page.locator(f"#e{att.enrolments[0].pk}")
    assert row.locator("button.is-current").inner_text() == "X"
    page.locator(f"#e{att.enrolments[1].pk} button[data-code='E']").click()
    page.wait_for_selector(f"#e{att.enrolments[1].pk} button.is-current[data-code='E']")
    page.click("#sign-day")
    # first the summary of what signing records (issue 14), then the confirmation
    page.wait_for_selector("#sign-summary")
    assert not SessionSignOff.objects.filter(session=session).exists()
    summary = page.locator("#sign-summary")
    assert summary.locator("[data-count=present]").inner_text().startswith("1 ")
    assert summary.locator("[data-count=excused]").inner_text().startswith("1 ")
    assert summary.locator("[data-count=unexcused]").inner_text().startswith("1 ")
    assert page.locator("#sign-blanks").inner_text().strip() == att.learners[2].full_name
    page.click("#sign-confirm")
    page.wait_for_selector("#locked-note")
    assert SessionSignOff.objects.filter(session=session, signed_by=att.teacher).exists()
    codes = dict(
        AttendanceRecord.objects.filter(session=session).values_list("enrolment_id", "code")
    )
    assert codes == {
        att.enrolments[0].pk: "X",
        att.enrolments[1].pk: "E",
        att.enrolments[2].pk: "U",
    }
    context.close()
