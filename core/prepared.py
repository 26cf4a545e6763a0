"""Run a hot ORM read without rebuilding and recompiling its SQL on every request.

Building a queryset and compiling it costs far more CPU than running it (about half a
millisecond per query). ``Prepared`` compiles a queryset once per database, shape and fixed
arguments (per thread), with marker values standing for the arguments that change, and then runs
the cached SQL with the real values through Django's cursor (so the queries still show up in
``django_assert_num_queries`` and the debug log) and Django's own result converters.
The queryset stays the single written form of the rule; only its compilation is reused.

List arguments (``__in``) are padded to the next power of two by repeating an element, which
does not change an ``IN`` result, so the cache holds a handful of shapes per query.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

_local = threading.local()
_MAX_ENTRIES = 256
_INT_BASE = -2_000_000_000  # markers fit a 32-bit integer column and match no real id


def _bucket(n: int) -> int:
    size = 1
    while size < n:
        size *= 2
    return size


class Prepared:
    """A ``values()``/``values_list()`` queryset, compiled once per shape.

    ``build(**kwargs)`` returns the queryset. Arguments named in ``int_lists``/``str_lists``
    are lists used only as ``__in`` values; ``ints``/``strs`` are scalars used only as lookup
    values; all other keyword arguments are fixed (part of the cache key, so keep them few:
    a date, a flag). Calling returns the rows as tuples in the order of ``columns``
    (``values_list`` fields, then annotations).
    """

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        int_lists: Sequence[str] = (),
        str_lists: Sequence[str] = (),
        ints: Sequence[str] = (),
        strs: Sequence[str] = (),
    ):
        self.build = build
        self.lists = {**dict.fromkeys(int_lists, int), **dict.fromkeys(str_lists, str)}
        self.scalars = {**dict.fromkeys(ints, int), **dict.fromkeys(strs, str)}

    def __call__(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple]:
        connection = connections[using]
        shape = tuple(_bucket(len(values[name])) for name in self.lists)
        fixed = tuple((k, v) for k, v in sorted(values.items()) if k not in self.lists)
        fixed = tuple((k, v) for k, v in fixed if k not in self.scalars)
        cache = _local.__dict__.setdefault("cache", {})
        key = (id(self), id(connection), shape, fixed)
        entry = cache.get(key)
        if entry is None:
            if len(cache) >= _MAX_ENTRIES:
                cache.pop(next(iter(cache)))
            entry = cache[key] = self._compile(connection, shape, dict(fixed))
        sql, slots, compiler, converters = entry
        padded = {}
        for name, size in zip(self.lists, shape, strict=True):
            items = list(values[name])
            if items:
                items += [items[0]] * (size - len(items))
            padded[name] = items
        if not all(padded.values()):  # an empty list matches nothing
            return []
        params = [
            (padded[name][index] if index is not None else values[name])
            if name is not None
            else index
            for name, index in slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            return [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows

    def columns(self, **values: Any) -> list[str]:
        query = self._queryset(values).query
        return [*query.extra_select, *query.values_select, *query.annotation_select]

    def _queryset(self, fixed: dict[str, Any], shape: Iterable[int] = ()) -> QuerySet:
        markers = {}
        n = 0

        def marker(kind: type) -> int | str:
            nonlocal n
            n += 1
            return _INT_BASE + n if kind is int else f"~prepared-marker-{n}~"

        args = dict(fixed)
        shape = list(shape) or [1] * len(self.lists)
        for (name, kind), size in zip(self.lists.items(), shape, strict=True):
            args[name] = [marker(kind) for _ in range(size)]
            markers.update({m: (name, i) for i, m in enumerate(args[name])})
        for name, kind in self.scalars.items():
            args[name] = marker(kind)
            markers[args[name]] = (name, None)
        qs = self.build(**args)
        qs._prepared_markers = markers
        return qs

    def _compile(self, connection, shape: tuple[int, ...], fixed: dict[str, Any]) -> tuple:
        qs = self._queryset(fixed, shape)
        markers = qs._prepared_markers
        compiler = qs.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = []
        seen = set()
        for param in params:
            try:
                slot = markers.get(param)
            except TypeError:  # unhashable constant
                slot = None
            if slot is None:
                slots.append((None, param))
            else:
                slots.append(slot)
                seen.add(slot)
        if len(seen) != len(markers):
            raise RuntimeError(f"Prepared query lost a marker: {sql}")
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        return sql, slots, compiler, compiler.get_converters(fields)
