"""Ids and numbers read from a request: malformed values answer 404/400, never a server error."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import Http404

MAX_ID = 2**31 - 1


def id_or_404(value: object) -> int:
    """A primary key from the request; anything that cannot be one is a missing object (404)."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= number <= MAX_ID:
        raise Http404
    return number


def int_in_range(value: object, *, low: int, high: int, default: int) -> int:
    """A number parameter (a year, a page); empty gives ``default``, nonsense answers 400."""
    if value in (None, ""):
        return default
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise BadRequest from None
    if not low <= number <= high:
        raise BadRequest
    return number
