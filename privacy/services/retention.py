"""The retention job: delete or anonymise what is due, keep what a legal hold covers.

Every model declares its retention (``core.retention``); the periods are rule data
(``RetentionRule``, tightened per provider by ``ProviderRetentionRule``). ``retention_run`` walks
the declarations, rows that point at others first, and for each one finds the rows whose
period is over and that no active legal hold covers. Those are deleted, or anonymised where
reports still count them (the declaration says which fields to clear), in batches of
``BATCH_SIZE``, one transaction per batch. Rows that follow an owner go with it. The learner
record goes last: only once nothing about the learner in another class is still kept.

A second run on the same day finds nothing: deleted rows are gone and anonymised rows match
their anonymised values. The deletion log gets class, kind of record, action and count per
provider, never an id or a name. The audit log's entries of what was deleted or anonymised go
too (they carry the old values).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from people.models import Learner
from privacy.declarations import (
    Declared,
    about_learners,
    all_declared,
    followers_of,
    is_primary,
)
from privacy.models import DeletionLog, LegalHold, RetentionRule
from privacy.services.settings import effective_period, provider_overrides

BATCH_SIZE = 500
ANCHOR = "retention_anchor"

DELETED = DeletionLog.Action.DELETED.value
ANONYMISED = DeletionLog.Action.ANONYMISED.value


# --- what is due --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cutoffs:
    """Rows whose event lies before the cut-off are due: one day per class, and providers with a
    shorter period of their own get theirs."""

    default: date | None
    by_provider: dict[int, date] = field(default_factory=dict)


@dataclass(frozen=True)
class HoldScope:
    """What the legal holds active on a day cover."""

    provider_ids: frozenset[int]
    learner_ids: frozenset[int]
    course_ids: frozenset[int]

    @classmethod
    def on(cls, day: date) -> HoldScope:
        providers, learners, courses = set(), set(), set()
        for hold in LegalHold.objects.active(day).only("provider_id", "learner_id", "course_id"):
            if hold.learner_id:
                learners.add(hold.learner_id)
            elif hold.course_id:
                courses.add(hold.course_id)
            else:
                providers.add(hold.provider_id)
        return cls(frozenset(providers), frozenset(learners), frozenset(courses))


class Context:
    """The rules, provider periods and holds of one run, read once."""

    def __init__(self, today: date):
        self.today = today
        self.rules: dict[str, RetentionRule] = RetentionRule.objects.in_force(today)
        self.overrides = provider_overrides(today)
        self.holds = HoldScope.on(today)
        self._cutoffs: dict[str, Cutoffs] = {}

    def rule(self, key: str) -> RetentionRule | None:
        return self.rules.get(key)

    def cutoffs(self, key: str) -> Cutoffs:
        if key not in self._cutoffs:
            rule = self.rules.get(key)
            legal = rule.as_period if rule is not None else None
            if legal is None:
                self._cutoffs[key] = Cutoffs(None)
            else:
                default = legal.cutoff(self.today)
                own = {}
                for (provider_id, k), override in self.overrides.items():
                    if k == key:
                        period = effective_period(rule, override)
                        assert period is not None  # the class has a legal period (above)
                        day = period.cutoff(self.today)
                        if day != default:
                            own[provider_id] = day
                self._cutoffs[key] = Cutoffs(default, own)
        return self._cutoffs[key]


def annotated(d: Declared) -> QuerySet:
    """The declaration's rows with the date their period runs from as ``retention_anchor``."""
    return (
        d.model._base_manager.filter(d.retention.condition())
        .annotate(**{ANCHOR: d.retention.anchor()})
        .order_by()
    )


def _anchor_is_datetime(qs: QuerySet) -> bool:
    return isinstance(qs.query.annotations[ANCHOR].output_field, models.DateTimeField)


def _bound(day: date, as_datetime: bool) -> date | datetime:
    """The cut-off as the anchor's type: a day, or the start of that day in local time."""
    if as_datetime:
        return timezone.make_aware(datetime.combine(day, time.min))
    return day


def period_over(d: Declared, ctx: Context, qs: QuerySet) -> Q:
    """The rows whose period is over (holds aside)."""
    cut = ctx.cutoffs(d.retention.key)
    if cut.default is None:
        return Q(pk__in=[])
    as_dt = _anchor_is_datetime(qs)
    before = lambda day: Q(**{f"{ANCHOR}__lt": _bound(day, as_dt)})  # noqa: E731
    path = d.retention.provider
    if not path or not cut.by_provider:
        return before(cut.default)
    by_day: dict[date, list[int]] = defaultdict(list)
    for provider_id, day in cut.by_provider.items():
        by_day[day].append(provider_id)
    over = Q()
    for day, ids in by_day.items():
        over |= Q(**{f"{path}__in": ids}) & before(day)
    others = Q(**{f"{path}__isnull": True}) | ~Q(**{f"{path}__in": list(cut.by_provider)})
    return over | (others & before(cut.default))


def held(d: Declared, holds: HoldScope) -> Q | None:
    """The rows an active legal hold covers (None when no hold can cover any)."""
    r = d.retention
    parts = []
    if r.provider and holds.provider_ids:
        parts.append(Q(**{f"{r.provider}__in": sorted(holds.provider_ids)}))
    if r.learner is not None and holds.learner_ids:
        parts.append(Q(**{f"{r.learner or 'pk'}__in": sorted(holds.learner_ids)}))
    if r.course and holds.course_ids:
        parts.append(Q(**{f"{r.course}__in": sorted(holds.course_ids)}))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def _learner_dependants() -> list[Declared]:
    """Declarations whose rows about a learner keep the learner record while they are kept
    (each model's deciding declaration; a later one only clears fields early)."""
    return [
        d for d in about_learners() if d.own_period and d.model is not Learner and is_primary(d)
    ]


def _pending_about_learner(ctx: Context) -> list[Exists]:
    """For each class: is there a row about the learner (``OuterRef("pk")``) that is kept for
    now (its event has not happened, its period is not over, or a hold covers it)?"""
    found = []
    for d in _learner_dependants():
        qs = annotated(d).filter(**{_learner_path(d): OuterRef("pk")})
        kept = Q(**{f"{ANCHOR}__isnull": True}) | ~period_over(d, ctx, qs)
        hold = held(d, ctx.holds)
        found.append(Exists(qs.filter(kept | hold if hold is not None else kept)))
    return found


def _learner_path(d: Declared) -> str:
    """The path to the learner of a declaration about learners (``_learner_dependants``)."""
    path = d.retention.learner
    assert path is not None
    return path


def _owner_path(d: Declared) -> str:
    """The foreign key of a follower to its owner (``followers_of``)."""
    path = d.retention.follows
    assert path is not None
    return path


def _keeps_learner() -> Q:
    """The learner has rows that stay, anonymised (so the record is anonymised, not deleted)."""
    q = Q(pk__in=[])
    seen: set[type[models.Model]] = set()
    for d in _learner_dependants():
        if d.retention.anonymise is not None and d.model not in seen:
            seen.add(d.model)
            rows = d.model._base_manager.filter(**{_learner_path(d): OuterRef("pk")})
            q |= Q(Exists(rows))
    return q


def due(d: Declared, ctx: Context) -> QuerySet:
    """The rows of a declaration that are due today."""
    qs = annotated(d)
    qs = qs.filter(period_over(d, ctx, qs))
    hold = held(d, ctx.holds)
    if hold is not None:
        qs = qs.exclude(hold)
    if d.retention.after_dependants:
        for pending in _pending_about_learner(ctx):
            qs = qs.filter(~pending)
    return qs


def held_count(d: Declared, ctx: Context) -> int:
    hold = held(d, ctx.holds)
    if hold is None:
        return 0
    qs = annotated(d)
    return qs.filter(period_over(d, ctx, qs)).filter(hold).count()


def _constant(value) -> bool:
    return not hasattr(value, "resolve_expression")


def done(d: Declared) -> Q:
    """Rows already anonymised: their fields hold the anonymised values and nothing that
    follows them is left to clear."""
    q = Q()
    for name, value in (d.retention.anonymise or {}).items():
        model_field = d.model._meta.get_field(name)
        if not _constant(value) or isinstance(model_field, models.JSONField):
            continue
        q &= Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})
    if is_primary(d):
        for f in followers_of(d.model):
            rows = f.model._base_manager.filter(**{_owner_path(f): OuterRef("pk")})
            if f.retention.anonymise is not None:
                rows = rows.exclude(done(f))
            q &= Q(~Exists(rows))
    return q


# --- doing it -----------------------------------------------------------------------------------

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
            f.model._base_manager.filter(**{f"{_owner_path(f)}__in": ids}).values_list(
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
        rows = f.model._base_manager.filter(**{f"{_owner_path(f)}__in": ids})
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


def _apply(d: Declared, ctx: Context, tally: Tally) -> None:
    rows = due(d, ctx)
    r = d.retention
    if r.after_dependants:
        keep = _keeps_learner()
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


# --- the job ------------------------------------------------------------------------------------


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
            keep = _keeps_learner()
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
        _apply(d, ctx, tally)
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
