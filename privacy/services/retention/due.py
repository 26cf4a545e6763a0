"""What is due: the cut-off day of each class (per provider), the legal holds, and the rows of a
declaration whose period is over and that no hold keeps."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from people.models import Learner
from privacy.declarations import (
    Declared,
    about_learners,
    followers_of,
    is_primary,
)
from privacy.models import LegalHold, RetentionRule
from privacy.services.settings import effective_period, provider_overrides

ANCHOR = "retention_anchor"


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


def owner_path(d: Declared) -> str:
    """The foreign key of a follower to its owner (``followers_of``)."""
    path = d.retention.follows
    assert path is not None
    return path


def keeps_learner() -> Q:
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
            rows = f.model._base_manager.filter(**{owner_path(f): OuterRef("pk")})
            if f.retention.anonymise is not None:
                rows = rows.exclude(done(f))
            q &= Q(~Exists(rows))
    return q
