"""Every learner page, rendered in each of the seven languages, shows no string of ours
untranslated. Django falls back to German for a missing translation, which hides the gap from a
German reader; here the fallback is English (the msgids), so a missing string shows as its msgid
and the test finds it among the page's texts."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.learner_area.test_pages import PAGES

ROOT = Path(django_settings.BASE_DIR)
LANGUAGES = [code for code, _name in django_settings.LANGUAGES if code != "en"]
PUBLIC_PAGES = ["/courses/", "/network/", "/login/", "/login/code/"]


class Texts(HTMLParser):
    """The text nodes a reader sees (not scripts or styles), and the attribute texts a screen
    reader speaks."""

    def __init__(self):
        super().__init__()
        self.texts: set[str] = set()
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "placeholder", "alt") and value:
                self.texts.add(" ".join(value.split()))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skip:
            self.texts.add(text)


def texts_of(html: str) -> set[str]:
    parser = Texts()
    parser.feed(html)
    return parser.texts


def untranslated_msgids(language: str) -> set[str]:
    """Every msgid of our catalogues with no translation into ``language``."""
    missing = set()
    for path in ROOT.glob(f"**/locale/{language}/LC_MESSAGES/django.po"):
        if ".venv" in path.parts:
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgid_plural or len(entry.msgid) < 3:
                continue
            if not entry.translated() or "fuzzy" in entry.flags:
                missing.add(entry.msgid)
    return missing


@pytest.fixture
def english_fallback(settings):
    """Untranslated strings show as their English msgids (setting LANGUAGES too drops the cached
    catalogues, which hold German as their fallback)."""
    settings.LANGUAGE_CODE = "en"
    settings.LANGUAGES = list(settings.LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_learner_page_shows_an_untranslated_string(me, client, english_fallback, language):
    me.learner.preferred_language = language
    me.learner.save(update_fields=["preferred_language"])
    missing = untranslated_msgids(language)
    client.force_login(me.user)
    found = {}
    for url in [reverse(name) for name in PAGES] + ["/me/privacy/", "/courses/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()[:200]
        leaks = texts_of(response.content.decode()) & missing
        if leaks:
            found[url] = sorted(leaks)
    client.logout()
    for url in PUBLIC_PAGES:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        leaks = texts_of(response.content.decode()) & missing
        if leaks:
            found[url] = sorted(leaks)
    assert found == {}


def test_german_course_names_are_isolated_and_marked_on_a_farsi_page(me, client):
    me.learner.preferred_language = "fa"
    me.learner.save(update_fields=["preferred_language"])
    client.force_login(me.user)
    html = client.get(reverse("learner-home")).content.decode()
    assert "<bdi>دوره عمومی ادغام</bdi>" in html  # the seeded translation, in Farsi
    assert f'<bdi lang="de">{me.course.location.address_line}</bdi>' in html  # a place: German


def test_german_course_names_are_plain_on_a_german_page(me, client):
    client.force_login(me.user)
    html = client.get(reverse("learner-home")).content.decode()
    name = me.course.course_type.name
    assert name in html
    assert f'<bdi lang="de">{name}</bdi>' not in html
