"""The main navigation, by role: each person sees the places of their work, nothing else.

``core`` knows no app: each app registers its own entries from its ``AppConfig.ready()``
(``navigation.register(NavItem(...))``), with the test of who sees them. The base template
shows the entries in ``order``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    order: int
    #: Who sees the entry: called with the user and the set of roles they hold.
    visible: Callable[[Any, set[str]], bool]


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


_items: dict[str, NavItem] = {}


def register(*items: NavItem) -> None:
    """Add entries (by URL name: registering one again replaces it)."""
    for item in items:
        _items[item.url_name] = item


def nav_links(user) -> list[NavLink]:
    if not user.is_authenticated:
        return []
    roles = user.roles()
    return [
        NavLink(str(item.label), reverse(item.url_name))
        for item in sorted(_items.values(), key=lambda item: item.order)
        if item.visible(user, roles)
    ]
