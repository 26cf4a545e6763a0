"""Run a hot ORM read without rebuilding and recompiling its SQL on every request.

Building a queryset and compiling it costs far more CPU than running it (about half a
millisecond per query). ``Prepared`` compiles a queryset once per database, shape and fixed
arguments (per thread), with marker values standing for the arguments that change, and then runs
the cached SQL with the real values through Django's cursor (so the queries still show up in
``django_assert_num_queries`` and the debug log) and Django's own result converters.
The queryset stays the single written form of the rule; only its compilation is reused.

On PostgreSQL the cached SQL runs on a server-side binding cursor, so psycopg turns it into a
prepared statement after ``prepare_threshold`` runs on a connection (settings: the hot reads are
then planned once per connection, not on every request; planning a join costs more than running
it). The ORM's other queries keep Django's client-side binding, which never prepares.

List arguments (``__in``) are padded to the next power of two by repeating an element, which
does not change an ``IN`` result, so the cache holds a handful of shapes per query. On PostgreSQL
a list longer than ``SMALL_LIST`` becomes a single array parameter (``= ANY(…)``): no
thousand-placeholder SQL to build and parse for a bulk read. Such a statement is bound on the
client and planned for the array it carries: a plan kept for an array of unknown length expects
a handful of rows and walks 15,000 register rows of a bulk lookup through nested loops (40 ms
of server time, against 20 ms for the plan made for 1,000 ids, which also hashes the ``= ANY``
test); planning costs about a millisecond. Short lists keep their placeholders and are kept
prepared, so the plan PostgreSQL keeps for them knows how few rows to expect (an array parameter
of unknown length is planned for a batch, which for one learner meant hashing a whole table
instead of following an index).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.sqlite3.base import SQLiteCursorWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, _get_from_db, get_related_populators
from django.db.models.signals import post_save, pre_save

_local = threading.local()
_MAX_ENTRIES = 256
_INT_BASE = -2_000_000_000  # markers fit a 32-bit integer column and match no real id
#: On PostgreSQL, lists up to this length keep one placeholder per item (padded to a power of
#: two); longer ones are one array parameter.
SMALL_LIST = 8
_AS_ARRAY = 0  # shape of a list passed as one array parameter


def _bucket(n: int) -> int:
    size = 1
    while size < n:
        size *= 2
    return size


class _Compiled(NamedTuple):
    """A queryset compiled once: its SQL, where each parameter comes from, how to turn rows
    into results, and whether the server may keep the statement prepared."""

    sql: str
    slots: list
    compiler: Any
    converters: dict
    build: Callable[[tuple], Model] | None
    keep_prepared: bool


def _cursor(connection, statement: tuple):
    """The cursor for a compiled statement: Django's own (client-side binding on PostgreSQL,
    so the server plans it for its values) for one with a long list, else ``prepared_cursor``."""
    compiled: _Compiled = statement[2]
    return prepared_cursor(connection) if compiled.keep_prepared else connection.cursor()


def prepared_cursor(connection):
    """A cursor for the compiled-once statements: on PostgreSQL one whose queries the server
    may keep prepared, on SQLite one that converts each statement's placeholders once (Django's
    cursor rewrites ``%s`` to ``?`` with a regular expression on every run), elsewhere Django's
    own cursor.

    Wrapped by the connection like any Django cursor (query log, execute wrappers, error
    translation)."""
    if connection.vendor == "postgresql":
        from django.db.backends.postgresql.base import ServerBindingCursor

        connection.ensure_connection()
        with connection.wrap_database_errors:
            raw = ServerBindingCursor(connection.connection)
        return connection._prepare_cursor(raw)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.wrap_database_errors:
            raw = connection.connection.cursor(factory=_SQLiteCursor)
        return connection._prepare_cursor(raw)
    return connection.cursor()


_QMARK: dict[str, str] = {}


class _SQLiteCursor(SQLiteCursorWrapper):
    """Django's SQLite cursor, remembering each statement's ``?`` form (only the statements
    compiled by ``Prepared`` come here, so the memo stays small)."""

    def convert_query(self, query, *, param_names=None):
        if param_names is not None:
            return super().convert_query(query, param_names=param_names)
        converted = _QMARK.get(query)
        if converted is None:
            if len(_QMARK) >= 4 * _MAX_ENTRIES:
                _QMARK.clear()
            converted = _QMARK[query] = super().convert_query(query)
        return converted


class Prepared:
    """A queryset, compiled once per shape.

    ``build(**kwargs)`` returns the queryset. Arguments named in ``int_lists``/``str_lists``
    are lists used only as ``__in`` values; ``ints``/``strs`` are scalars used only as lookup
    values; all other keyword arguments are fixed (part of the cache key, so keep them few:
    a date, a flag). For a ``values_list()`` queryset, calling returns the rows as tuples in the
    order of ``columns`` (fields, then annotations); for a model queryset, ``objects()`` returns
    the instances. ``together()`` runs several independent reads at once.
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
        """The rows of a ``values_list()`` queryset, as tuples."""
        return together((self, values), using=using)[0]

    def objects(self, *, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[Model]:
        """The model instances of a model queryset, as iterating it would give them (with its
        ``select_related`` objects, ``FilteredRelation``s and annotations)."""
        return together((self, values), using=using)[0]

    def _statement(self, connection, values: dict[str, Any]) -> tuple[str, list, tuple] | None:
        """The cached SQL, its parameters and the compiled entry; None when a list argument is
        empty (an empty ``IN`` matches nothing, so there is nothing to run)."""
        arrays = connection.vendor == "postgresql"
        shape = tuple(
            _AS_ARRAY if arrays and len(values[name]) > SMALL_LIST else _bucket(len(values[name]))
            for name in self.lists
        )
        fixed = tuple((k, v) for k, v in sorted(values.items()) if k not in self.lists)
        fixed = tuple((k, v) for k, v in fixed if k not in self.scalars)
        cache = _local.__dict__.setdefault("cache", {})
        key = (id(self), id(connection), shape, fixed)
        entry = cache.get(key)
        if entry is None:
            if len(cache) >= _MAX_ENTRIES:
                cache.pop(next(iter(cache)))
            entry = cache[key] = self._compile(connection, shape, dict(fixed))
        sql, slots = entry.sql, entry.slots
        padded = {}
        for name, size in zip(self.lists, shape, strict=True):
            items = list(values[name])
            if not items:
                return None
            padded[name] = items if size == _AS_ARRAY else items + [items[0]] * (size - len(items))
        params = [
            (
                values[name]
                if index is None
                else padded[name]
                if index is _ARRAY
                else padded[name][index]
            )
            if name is not None
            else index
            for name, index in slots
        ]
        return sql, params, entry

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
            args[name] = [marker(kind) for _ in range(size or 2)]  # an array: any two markers
            markers.update({m: (name, i) for i, m in enumerate(args[name])})
        for name, kind in self.scalars.items():
            args[name] = marker(kind)
            markers[args[name]] = (name, None)
        qs = self.build(**args)
        qs._prepared_markers = markers
        return qs

    def _compile(self, connection, shape: tuple[int, ...], fixed: dict[str, Any]) -> _Compiled:
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
        arrays = {
            name: kind
            for (name, kind), size in zip(self.lists.items(), shape, strict=True)
            if size == _AS_ARRAY
        }
        if arrays:
            sql, slots = _in_as_any(sql, slots, arrays)
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(fields)
        build = (
            _model_builder(qs, compiler) if issubclass(qs._iterable_class, ModelIterable) else None
        )
        # Kept prepared unless it carries a long list (see the module's docstring).
        return _Compiled(sql, slots, compiler, converters, build, keep_prepared=not arrays)


_ARRAY = "array"  # slot index: the whole list, as one array parameter
_ARRAY_TYPES = {int: "bigint", str: "text"}


def _in_as_any(sql: str, slots: list, lists: dict[str, type]) -> tuple[str, list]:
    """PostgreSQL: ``col IN (%s, %s)`` of a long list argument becomes
    ``col = ANY(%s::bigint[])`` (or ``text[]``), one array parameter whatever the length: one
    compiled statement for every longer list, and no thousand-placeholder SQL to parse for a
    bulk lookup. The casts keep the column's index usable (integer columns compare with bigint,
    varchar with text)."""
    parts = sql.split("%s")
    if len(parts) != len(slots) + 1:
        raise RuntimeError(f"Prepared query has a literal %s: {sql}")
    pieces, new_slots, i = [parts[0]], [], 0
    while i < len(slots):
        name, index = slots[i]
        size = 0
        if name in lists and index == 0:
            while i + size < len(slots) and slots[i + size] == (name, size):
                size += 1
        if (
            size >= 2
            and pieces[-1].endswith(" IN (")
            and all(text == ", " for text in parts[i + 1 : i + size])
            and parts[i + size].startswith(")")
        ):
            pieces[-1] = pieces[-1][: -len("IN (")] + "= ANY("
            pieces.append(f"::{_ARRAY_TYPES[lists[name]]}[])" + parts[i + size][1:])
            new_slots.append((name, _ARRAY))
            i += size
            continue
        if name in lists:
            raise RuntimeError(f"Prepared list {name!r} is used outside an IN: {sql}")
        pieces.append(parts[i + 1])
        new_slots.append(slots[i])
        i += 1
    return "%s".join(pieces), new_slots


def _model_builder(queryset: QuerySet, compiler) -> Callable[[tuple], Model]:
    """Turns a converted row into the model instance(s), as ``ModelIterable`` does (without its
    known-related-objects step, which a fresh queryset does not have)."""
    db = queryset.db
    select, klass_info = compiler.select, compiler.klass_info
    annotations = compiler.annotation_col_map or {}
    model_cls = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    init_list = [f[0].target.attname for f in select[start:end]]
    fetch_mode = queryset._fetch_mode
    from_db = _get_from_db(model_cls, fetch_mode)
    populators = get_related_populators(klass_info, select, db, fetch_mode)

    def build(row: tuple) -> Model:
        obj = from_db(db, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations.items():
            setattr(obj, name, row[position])
        return obj

    return build


def together(*calls: tuple[Prepared, dict[str, Any]], using: str = DEFAULT_DB_ALIAS) -> list[list]:
    """Run several prepared reads; on PostgreSQL in one round trip (a psycopg pipeline).

    Each call is ``(prepared, arguments)``; the answer is one list per call: tuples for a
    ``values_list()`` queryset, model instances for a model queryset. Only reads that do not
    depend on each other's results can go together.
    """
    connection = connections[using]
    statements = [prepared._statement(connection, values) for prepared, values in calls]
    fetched: list[list[tuple]] = [[] for _ in statements]
    pipelined = connection.vendor == "postgresql" and sum(1 for s in statements if s) > 1
    if pipelined:
        from psycopg import Pipeline

        pipelined = Pipeline.is_supported()
    if pipelined:
        connection.ensure_connection()
        cursors = {}
        with connection.wrap_database_errors, connection.connection.pipeline():
            for i, statement in enumerate(statements):
                if statement is not None:
                    cursors[i] = _cursor(connection, statement)
                    cursors[i].execute(statement[0], statement[1])
        for i, cursor in cursors.items():  # the pipeline has synced: every result is here
            with cursor:
                fetched[i] = cursor.fetchall()
    else:
        for i, statement in enumerate(statements):
            if statement is not None:
                with _cursor(connection, statement) as cursor:
                    cursor.execute(statement[0], statement[1])
                    fetched[i] = cursor.fetchall()
    return [_finish(s, rows) for s, rows in zip(statements, fetched, strict=True)]


def _finish(statement: tuple | None, rows: list[tuple]) -> list:
    if statement is None:
        return []
    compiled: _Compiled = statement[2]
    if compiled.converters:
        rows = [tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)]
    if compiled.build is not None:
        return [compiled.build(row) for row in rows]
    return rows


def insert(obj: Model, *, using: str = DEFAULT_DB_ALIAS) -> Model:
    """INSERT one new instance as ``save(force_insert=True)`` would (``pre_save`` values such as
    ``auto_now``, the new pk set on it), with the statement built once per model and, on
    PostgreSQL, kept prepared. A model with save signal listeners (audit log, …), with parent
    tables (multi-table inheritance) or a value the database fills (``db_default``) goes
    through ``save()``, so nothing is skipped.
    """
    model = type(obj)
    if model._meta.parents or pre_save.has_listeners(model) or post_save.has_listeners(model):
        obj.save(force_insert=True, using=using)
        return obj
    connection = connections[using]
    meta = model._meta
    key = ("insert", model, id(connection))
    cache = _local.__dict__.setdefault("cache", {})
    entry = cache.get(key)
    if entry is None:
        fields = [
            f
            for f in meta.local_concrete_fields
            if not f.generated and not (f.primary_key and f.db_returning)
        ]
        qn = connection.ops.quote_name
        sql = (
            f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
            f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {qn(meta.pk.column)}"
        )
        entry = cache[key] = (sql, fields)
    sql, fields = entry
    values = [f.pre_save(obj, add=True) for f in fields]
    if any(hasattr(v, "resolve_expression") for v in values):
        obj.save(force_insert=True, using=using)
        return obj
    params = [f.get_db_prep_save(v, connection) for f, v in zip(fields, values, strict=True)]
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = using
    return obj
