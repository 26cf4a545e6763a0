"""Doing it: deleting and anonymising rows with what follows them, their files and their audit
entries, in batches of ``BATCH_SIZE`` (one transaction each), tallied for the deletion log."""

from __future__ import annotations

from collections import Counter, defaultdict

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import QuerySet

from privacy.declarations import (
    Declared,
    followers_of,
    is_primary,
)
from privacy.models import DeletionLog
from privacy.services.retention.due import Context, done, due, keeps_learner, owner_path

BATCH_SIZE = 500

DELETED = DeletionLog.Action.DELETED.value
ANONYMISED = DeletionLog.Action.ANONYMISED.value


Tally = Counter  # (provider id, class, model label, action) → count


def forget_audit(model: type[models.Model], ids: list) -> int:
    """The audit log's entries of these rows (they hold the old values)."""
    if not ids:
        return 0
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    deleted, _ = LogEntry.objects.filter(
        content_type=content_type, object_pk__in=[str(i) for i in ids]
    ).delete()
    return deleted


def _files_of(model: type[models.Model], ids: list) -> list[tuple[Storage, str]]:
    found: list[tuple[Storage, str]] = []
    for f in model._meta.concrete_fields:
        if isinstance(f, models.FileField):
            names = model._base_manager.filter(pk__in=ids).values_list(f.name, flat=True)
            found += [(f.storage, name) for name in names if name]
    return found


def _delete_files(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


def delete_rows(
    model: type[models.Model], ids: list, *, key: str, provider_id: int | None, tally: Tally
) -> None:
    """Delete rows and what follows them, their files (after commit) and audit entries."""
    if not ids:
        return
    for f in followers_of(model):
        fids = list(
            f.model._base_manager.filter(**{f"{owner_path(f)}__in": ids}).values_list(
                "pk", flat=True
            )
        )
        delete_rows(f.model, fids, key=f.retention.key, provider_id=provider_id, tally=tally)
    files = _files_of(model, ids)
    with disable_auditlog():
        _count, per_model = model._base_manager.filter(pk__in=ids).delete()
    for label, count in per_model.items():
        if count:
            tally[(provider_id, key, label, DELETED)] += count
    forget_audit(model, ids)
    if files:
        transaction.on_commit(lambda: _delete_files(files))


def anonymise_rows(
    d: Declared, ids: list, *, provider_id: int | None, tally: Tally, mapping=None
) -> None:
    """Set the declaration's anonymised values; what follows the rows is anonymised or goes."""
    if not ids:
        return
    mapping = mapping if mapping is not None else d.retention.anonymise
    with disable_auditlog():
        count = d.model._base_manager.filter(pk__in=ids).update(**mapping)
    tally[(provider_id, d.retention.key, d.label, ANONYMISED)] += count
    forget_audit(d.model, ids)
    if not is_primary(d):
        return
    for f in followers_of(d.model):
        rows = f.model._base_manager.filter(**{f"{owner_path(f)}__in": ids})
        if f.retention.anonymise is not None:
            fids = list(rows.exclude(done(f)).values_list("pk", flat=True))
            anonymise_rows(f, fids, provider_id=provider_id, tally=tally)
        else:
            fids = list(rows.values_list("pk", flat=True))
            delete_rows(f.model, fids, key=f.retention.key, provider_id=provider_id, tally=tally)


def _by_provider(qs: QuerySet, d: Declared, ids: list) -> dict[int | None, list]:
    """The (re-checked) ids of a batch, grouped by provider for the deletion log."""
    path = d.retention.provider
    groups: dict[int | None, list] = defaultdict(list)
    if path:
        for pk, provider_id in qs.filter(pk__in=ids).values_list("pk", path):
            groups[provider_id].append(pk)
    else:
        groups[None] = list(qs.filter(pk__in=ids).values_list("pk", flat=True))
    return groups


def _in_batches(qs: QuerySet, work) -> None:
    """Call ``work(ids)`` for the rows of ``qs`` in batches of ``BATCH_SIZE``, each batch in its
    own transaction (a long run holds no lock for long and resumes where it stopped)."""
    last = None
    while True:
        # Walk up the primary key: each batch starts where the last one ended (an index range,
        # not a scan past the rows already done), and a row that stays due is not seen twice.
        page = qs if last is None else qs.filter(pk__gt=last)
        ids = list(page.order_by("pk").values_list("pk", flat=True)[:BATCH_SIZE])
        if not ids:
            return
        last = ids[-1]
        with transaction.atomic():
            work(ids)


def apply_due(d: Declared, ctx: Context, tally: Tally) -> None:
    rows = due(d, ctx)
    r = d.retention
    if r.after_dependants:
        keep = keeps_learner()
        _in_batches(
            rows.filter(keep).exclude(done(d)),
            lambda ids: _anonymise_grouped(d, rows, ids, tally),
        )
        _in_batches(rows.exclude(keep), lambda ids: _delete_grouped(d, rows, ids, tally))
    elif r.anonymise is None:
        _in_batches(rows, lambda ids: _delete_grouped(d, rows, ids, tally))
    else:
        pending = rows.exclude(done(d))
        _in_batches(pending, lambda ids: _anonymise_grouped(d, pending, ids, tally))


def _delete_grouped(d: Declared, rows: QuerySet, ids: list, tally: Tally) -> None:
    for provider_id, group in _by_provider(rows, d, ids).items():
        delete_rows(d.model, group, key=d.retention.key, provider_id=provider_id, tally=tally)


def _anonymise_grouped(d: Declared, rows: QuerySet, ids: list, tally: Tally) -> None:
    for provider_id, group in _by_provider(rows, d, ids).items():
        anonymise_rows(d, group, provider_id=provider_id, tally=tally)
