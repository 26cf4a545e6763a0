"""The job: what a run does (or, dry, would do), as lines per class and kind of record."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from privacy.declarations import (
    all_declared,
)
from privacy.models import DeletionLog
from privacy.services.retention.due import Context, done, due, held_count, keeps_learner
from privacy.services.retention.rows import ANONYMISED, DELETED, Tally, apply_due


@dataclass(frozen=True)
class RetentionLine:
    """One class and kind of record in a run: what was (or would be) done, and how many rows
    that are due a legal hold keeps."""

    key: str
    model: str
    action: str
    count: int
    held: int = 0


@dataclass(frozen=True)
class RetentionReport:
    today: date
    dry_run: bool
    lines: tuple[RetentionLine, ...]

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)

    @property
    def held(self) -> int:
        return sum(line.held for line in self.lines)


def _planned(ctx: Context) -> Iterable[RetentionLine]:
    """What a run would do, counted without changing anything (rows that only become due
    through this run's own deletions, such as the login of a learner anonymised today, show in
    the next run)."""
    for d in all_declared():
        if not d.own_period:
            continue
        rows = due(d, ctx)
        hold = held_count(d, ctx)
        if d.retention.after_dependants:
            keep = keeps_learner()
            yield RetentionLine(
                d.retention.key,
                d.label,
                ANONYMISED,
                rows.filter(keep).exclude(done(d)).count(),
                hold,
            )
            yield RetentionLine(d.retention.key, d.label, DELETED, rows.exclude(keep).count())
        elif d.retention.anonymise is None:
            yield RetentionLine(d.retention.key, d.label, DELETED, rows.count(), hold)
        else:
            yield RetentionLine(
                d.retention.key, d.label, ANONYMISED, rows.exclude(done(d)).count(), hold
            )


def retention_run(*, today: date, dry_run: bool) -> RetentionReport:
    """Delete or anonymise every row whose retention period is over on ``today``.

    Idempotent (a second run finds nothing), batched, and it honours legal holds. With
    ``dry_run`` nothing changes and the report lists what a run would do. A real run writes
    the deletion log (class, kind of record, action, count per provider; no personal data).
    """
    ctx = Context(today)
    if dry_run:
        lines = [line for line in _planned(ctx) if line.count or line.held]
        return RetentionReport(today, True, tuple(_merge(lines)))
    tally: Tally = Counter()
    held_by: Counter = Counter()
    for d in all_declared():
        if not d.own_period:
            continue
        held_by[(d.retention.key, d.label)] += held_count(d, ctx)
        apply_due(d, ctx, tally)
    now = timezone.now()
    DeletionLog.objects.bulk_create(
        DeletionLog(
            at=now,
            ran_on=today,
            source=DeletionLog.Source.RETENTION,
            provider_id=provider_id,
            key=key,
            model=label,
            action=action,
            count=count,
        )
        for (provider_id, key, label, action), count in sorted(
            tally.items(), key=lambda item: (str(item[0][1]), str(item[0][2]), item[0][3])
        )
        if count
    )
    totals: Counter = Counter()
    for (_provider, key, label, action), count in tally.items():
        totals[(key, label, action)] += count
    lines = [RetentionLine(k, m, a, c, held_by.pop((k, m), 0)) for (k, m, a), c in totals.items()]
    lines += [RetentionLine(k, m, DELETED, 0, h) for (k, m), h in held_by.items() if h]
    return RetentionReport(today, False, tuple(_merge(lines)))


def _merge(lines: list[RetentionLine]) -> list[RetentionLine]:
    """One line per class, kind of record and action, in a stable order."""
    merged: dict[tuple[str, str, str], RetentionLine] = {}
    for line in lines:
        k = (line.key, line.model, line.action)
        old = merged.get(k)
        merged[k] = (
            line
            if old is None
            else RetentionLine(
                line.key, line.model, line.action, old.count + line.count, old.held + line.held
            )
        )
    return sorted(
        (x for x in merged.values() if x.count or x.held), key=lambda x: (x.key, x.model, x.action)
    )
