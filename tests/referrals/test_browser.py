"""The person's consent page on a 360 px phone, per script direction: code → what goes to whom
→ agree; nothing scrolls sideways. Playwright drives Debian's Chromium."""

from __future__ import annotations

import pytest

from referrals.models import Consent, DataItem
from tests.learner_area.test_browser import PHONE, assert_no_sideways_scroll, browser, shot
from tests.referrals.conftest import consent, send

__all__ = ["browser"]  # the fixture, used by name

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(
    ("lang", "locale", "direction"),
    [("de", "de-DE", "ltr"), ("ar", "ar", "rtl"), ("fa", "fa-IR", "rtl"), ("uk", "uk", "ltr")],
)
def test_the_person_confirms_on_a_phone(net, browser, live_server, lang, locale, direction):
    referral = send(
        net,
        consent=consent(
            DataItem.IDENTITY,
            DataItem.CONTACT,
            DataItem.LANGUAGES,
            DataItem.NOTE,
            DataItem.PROGRESS,
            method=Consent.Method.LOGIN_CODE,
        ),
        email="amal.haddad.sehr.lange.adresse@beispiel-provider.example",
        note="Möchte abends lernen; zwei Kinder, Kita-Platz ab März.",
    )
    context = browser.new_context(locale=locale, viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/referrals/confirm/{referral.consent_code}/?lang={lang}")
    assert page.get_attribute("html", "dir") == direction
    assert page.input_value("#id_code") == referral.consent_code
    assert_no_sideways_scroll(page, PHONE["width"])
    page.click("#consent-code-form button[type=submit]")
    page.wait_for_selector("#consent-what")
    assert page.get_attribute("html", "lang") == lang
    assert_no_sideways_scroll(page, PHONE["width"])
    shot(page, f"referral-consent-{lang}")
    page.click("#consent-answer button[value=agree]")
    page.wait_for_selector("#consent-agreed")
    assert_no_sideways_scroll(page, PHONE["width"])
    assert referral.consents.get().confirmed_at is not None
    context.close()
