"""Login limits (django-axes), Argon2 with upgrade at login, the registration rate limit and
the deploy check for a shared cache."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.core import checks
from django.urls import reverse

from people.models import Learner
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "Zu viele fehlgeschlagene Anmeldeversuche"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    return settings


def _try(client, username, password, addr="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=addr
    )


def test_login_locks_after_the_limit_and_unlocks_after_its_time(axes_on, client, monkeypatch):
    user = UserFactory()
    for _ in range(2):
        r = _try(client, user.username, "wrong")
        assert r.status_code == 200 and LOCKED not in r.content.decode()
    r = _try(client, user.username, "wrong")  # the third failure locks
    assert r.status_code == 429 and LOCKED in r.content.decode()
    # locked: even the right password is refused, from this or another address (per account)
    assert _try(client, user.username, PASSWORD).status_code == 429
    assert _try(client, user.username, PASSWORD, addr="10.0.0.2").status_code == 429
    # 16 minutes later (the cache handler's counters expire with the cool-off time)
    import time as real_time
    from types import SimpleNamespace

    from django.core.cache.backends import locmem

    later = real_time.time() + 16 * 60
    monkeypatch.setattr(locmem, "time", SimpleNamespace(time=lambda: later))
    r = _try(client, user.username, PASSWORD, addr="10.0.0.3")
    assert r.status_code == 302


def test_locked_message_does_not_tell_whether_the_account_exists(axes_on, client):
    real = UserFactory()
    answers = []
    for name, addr in ((real.username, "10.0.1.1"), ("nobody-here", "10.0.1.2")):
        for _ in range(3):
            r = _try(client, name, "wrong", addr=addr)
        answers.append((r.status_code, LOCKED in r.content.decode()))
    assert answers == [(429, True), (429, True)]


def test_login_limit_per_address(axes_on, client):
    users = [UserFactory() for _ in range(3)]
    for user in users:  # one failure each, all from one address
        _try(client, user.username, "wrong", addr="10.0.2.1")
    assert _try(client, users[0].username, PASSWORD, addr="10.0.2.1").status_code == 429
    assert _try(client, users[0].username, PASSWORD, addr="10.0.2.2").status_code == 302


def test_argon2_first_and_old_hashes_upgrade_at_login(settings, client):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = UserFactory()
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    r = _try(client, user.username, PASSWORD)
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2")


def test_argon2_hashes_with_djangos_heavier_defaults_are_rehashed_at_login(settings, client):
    """core.hashers: OWASP's minimum (19 MiB, t=2, p=1); a hash made with Django's defaults
    (100 MiB, p=8) still verifies and is re-hashed with the project's parameters."""
    from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoArgon2

    settings.PASSWORD_HASHERS = ["core.hashers.Argon2PasswordHasher"]
    user = UserFactory()
    user.password = DjangoArgon2().encode(PASSWORD, DjangoArgon2().salt())
    user.save()
    assert "m=102400" in user.password
    assert _try(client, user.username, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_production_hashers_put_argon2_first():
    from config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def _register(client, course, n, addr="10.0.3.1", same_identity=True):
    return client.post(
        reverse("course-register", args=[course.pk]),
        {
            "first_name": "Amina" if same_identity else f"Amina{n}",
            "last_name": "Haddad",
            "date_of_birth": "1990-04-02",
            "phone": "0151 23456789",
            "preferred_language": "ar",
        },
        REMOTE_ADDR=addr,
    )


def test_the_31st_registration_of_one_identity_in_a_minute_is_refused(world, client):
    course = world.a.course
    codes = []
    for n in range(31):  # one identity from many addresses
        client.logout()
        codes.append(_register(client, course, n, addr=f"10.0.4.{n}").status_code)
    assert codes[:30] == [302] * 30
    assert codes[30] == 429
    client.logout()
    r = _register(client, course, 99, addr="10.0.5.1")
    assert r.status_code == 429
    assert (
        "Zu viele Versuche. Bitte versuchen Sie es in einer Minute noch einmal."
        in r.content.decode()
    )


def test_the_31st_registration_from_one_address_in_a_minute_is_refused(world, client):
    course = world.a.course
    codes = []
    for n in range(31):
        client.logout()
        codes.append(_register(client, course, n, same_identity=False).status_code)
    assert codes[:30] == [302] * 30 and codes[30] == 429
    assert Learner.objects.filter(last_name="Haddad").count() == 30


def test_deploy_check_warns_without_a_shared_cache(settings):
    from core.checks import shared_cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [m.id for m in shared_cache(None)] == ["core.W001"]
    assert isinstance(shared_cache(None)[0], checks.Warning)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
        }
    }
    assert shared_cache(None) == []


def test_client_address_behind_a_trusted_proxy(settings, rf):
    from core.ratelimit import client_ip

    request = rf.get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.TRUSTED_PROXIES = 0
    assert client_ip(request) == "172.18.0.5"
    settings.TRUSTED_PROXIES = 1  # the proxy appended the address it saw; the rest is forgeable
    assert client_ip(request) == "203.0.113.9"
