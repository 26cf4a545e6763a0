"""The one rate-limit mechanism of the public pages: django-ratelimit over the default cache.

Used by the certificate verification page, the public learner registration and the volunteer
sign-up. Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]`` so a page and the
API share one setting. Counters live in the default cache: with ``REDIS_URL``/``CACHE_URL`` set
they are shared by every web process (``check --deploy`` warns when production has none).
Login attempts are limited by django-axes (settings ``AXES_*``), over the same cache.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited


def client_ip(request: HttpRequest, *args) -> str:
    """The client's address: REMOTE_ADDR, or behind ``TRUSTED_PROXIES`` reverse proxies the
    address the outermost trusted proxy saw (counted from the right of X-Forwarded-For, so a
    client cannot forge it). Used by the rate limits and the login limits alike."""
    hops = getattr(settings, "TRUSTED_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if chain:
            return chain[-min(hops, len(chain))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_for(scope: str) -> str | None:
    return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)


def over_limit(request: HttpRequest, *, scope: str, identity: str | None = None) -> bool:
    """Count this request; True when the client address has used up the scope's rate.

    With ``identity`` (e.g. a registration's name and birth date) the same rate also applies
    per identity, whichever address it comes from. Both counters always count.
    """
    rate = rate_for(scope)
    if not rate:
        return False
    by_address = is_ratelimited(request, group=scope, key="ip", rate=rate, increment=True)
    by_identity = False
    if identity is not None:
        digest = hashlib.sha256(identity.strip().casefold().encode()).hexdigest()
        by_identity = is_ratelimited(
            request,
            group=f"{scope}:identity",
            key=lambda group, request: digest,
            rate=rate,
            increment=True,
        )
    return by_address or by_identity
