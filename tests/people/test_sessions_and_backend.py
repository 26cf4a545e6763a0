"""The prepared session read and user read behave as Django's own do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.sessions import SessionStore
from people.backends import UserBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_saved_session_loads_and_an_expired_one_is_missing():
    store = SessionStore()
    store["answer"] = 42
    store.create()
    key = store.session_key
    assert SessionStore(session_key=key)["answer"] == 42

    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(session_key=key)
    assert expired.get("answer") is None
    assert expired.session_key is None  # as Django's store: a fresh session is started


def test_an_unknown_session_key_is_missing():
    store = SessionStore(session_key="x" * 32)
    assert store.load() == {}
    assert store.session_key is None


def test_the_backend_returns_active_users_only():
    user = UserFactory()
    assert UserBackend().get_user(user.pk) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert UserBackend().get_user(user.pk) is None
    assert UserBackend().get_user(user.pk + 10_000) is None


def test_a_password_login_keeps_the_user_logged_in(client):
    user = UserFactory(username="amira")
    user.set_password("a-long-password-2026")
    user.save()
    assert client.login(username="amira", password="a-long-password-2026")
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    from django.contrib.auth import get_user

    request = type("R", (), {"session": SessionStore(session_key=key)})()
    assert get_user(request) == user
