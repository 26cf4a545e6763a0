"""A learner reads in the language stored on their learner record, whatever the browser asks
for, until they choose another with the language switch; staff keep their browser's language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from tests.learner_area.conftest import learner_with_login

pytestmark = pytest.mark.django_db


def page_language(response) -> str:
    return re.search(r'<html lang="([a-z-]+)"', response.content.decode()).group(1)


@pytest.mark.parametrize("language", ["fa", "uk", "tr", "ru", "ar"])
def test_a_learner_reads_their_stored_language_without_the_switch(world, client, language):
    learner = learner_with_login(world.a.provider, preferred_language=language)
    client.force_login(learner.user)
    for url in ("/me/", "/courses/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 200
        assert page_language(response) == language


def test_the_switch_wins_over_the_stored_language(world, client):
    learner = learner_with_login(world.a.provider, preferred_language="fa")
    client.force_login(learner.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert page_language(client.get("/me/")) == "en"


def test_a_changed_record_is_read_at_the_next_login(world, client):
    learner = learner_with_login(world.a.provider, preferred_language="tr")
    client.force_login(learner.user)
    assert page_language(client.get("/me/")) == "tr"
    learner.preferred_language = "ru"
    learner.save(update_fields=["preferred_language"])
    client.logout()
    client.force_login(learner.user)
    assert page_language(client.get("/me/")) == "ru"


def test_staff_read_in_their_browser_language(world, client):
    client.force_login(world.a.staff)
    assert page_language(client.get("/courses/", HTTP_ACCEPT_LANGUAGE="en")) == "en"
    assert page_language(client.get("/courses/", HTTP_ACCEPT_LANGUAGE="de")) == "de"


def test_the_language_is_read_once_per_session(world, client, monkeypatch):
    from people import middleware

    learner = learner_with_login(world.a.provider, preferred_language="uk")
    reads = []
    real = middleware.stored_language
    monkeypatch.setattr(
        middleware, "stored_language", lambda user: reads.append(user) or real(user)
    )
    client.force_login(learner.user)
    for _ in range(3):
        assert page_language(client.get("/courses/")) == "uk"
    assert len(reads) == 1
