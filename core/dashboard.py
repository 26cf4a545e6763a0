"""Figures other apps add to the staff dashboard, each a count with a link to where it is worked.

``core`` knows no app, and the dashboard's app (``reports``) need not know the others: an app
registers a tile source from its ``AppConfig.ready()`` (``dashboard.register(key, source)``).
The dashboard calls every source with the providers it shows and today's date; a source returns
its tiles, in a fixed number of queries whatever the data size (the dashboard pins its count).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Tile:
    label: str
    count: int
    url: str
    #: Shown as needing attention when the count is not zero.
    warn: bool = False


TileSource = Callable[..., Iterable[Tile]]

_sources: dict[str, TileSource] = {}


def register(key: str, source: TileSource) -> None:
    """Add a tile source, called as ``source(user=, provider_ids=, today=)`` (same key replaces)."""
    _sources[key] = source


def tiles(*, user: Any, provider_ids: Iterable[int], today: date) -> list[Tile]:
    ids = list(provider_ids)
    return [
        tile
        for source in _sources.values()
        for tile in source(user=user, provider_ids=ids, today=today)
    ]
