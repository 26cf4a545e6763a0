"""Production settings refuse to start insecurely, and pass ``check --deploy`` when configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNSET = {
    "DEBUG",
    "REDIS_URL",
    "CACHE_URL",
    "PUBLIC_BASE_URL",
    "LB_TESTING",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
GOOD_KEY = "k" * 20 + "-production-secret-" + "x" * 20


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "LB_TESTING", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "example.org"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "example.org"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS must be set"),
    ],
)
def test_production_refuses_to_start_without_secret_key_and_hosts(env, message):
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="kurse.example.org",
        REDIS_URL="redis://127.0.0.1:6379/0",
        PUBLIC_BASE_URL="https://kurse.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_warns_without_shared_cache_or_public_url():
    result = run_manage("check", "--deploy", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="kurse.example.org")
    assert "core.W001" in result.stderr + result.stdout
    assert "core.W002" in result.stderr + result.stdout


def test_production_cookies_are_secure():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="kurse.example.org",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == ["True", "True", "True", "True", "False"], out.stderr
