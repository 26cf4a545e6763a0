"""Deployment checks (``manage.py check --deploy``) for running beyond one process."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

SHARED_CACHES = (
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
    "django.core.cache.backends.memcached.PyLibMCCache",
)


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Rate limits and login limits count in the cache: per process unless it is shared."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in SHARED_CACHES:
        return []
    return [
        checks.Warning(
            "Production runs without a shared cache: rate limits and login limits count per "
            "process, so several web processes multiply them.",
            hint="Set REDIS_URL (e.g. redis://redis:6379/0).",
            id="core.W001",
        )
    ]


@checks.register(deploy=True)
def public_base_url(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Mails and certificates made in a worker have no request to take the host from."""
    if settings.PUBLIC_BASE_URL:
        return []
    return [
        checks.Warning(
            "PUBLIC_BASE_URL is not set: links in mails and certificates made by a worker point "
            "to http://127.0.0.1:8000.",
            hint="Set PUBLIC_BASE_URL to the public address, e.g. https://lernbruecke.example.org.",
            id="core.W002",
        )
    ]
