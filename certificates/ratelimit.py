"""A small cache-based rate limiter for public pages (fixed window per client address)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"30/min"`` → (30, 60)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip().lower()]


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(request: HttpRequest, *, scope: str) -> bool:
    """Count this request; True when the client has used up the scope's rate in this window.

    The rate comes from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]`` so the page and the
    API share one setting.
    """
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)
    if not rate:
        return False
    limit, period = parse_rate(rate)
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=period + 1):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=period + 1)
        return False
    return count > limit
