"""Erasure on request (Art. 17 GDPR, and the church laws' equivalents): delete what may be
deleted, keep what a legal duty or a legal hold requires, restricted.

The check comes first (``erasure_plan``): for every kind of record about the learner, rows in a
class with a legal duty to keep (BAMF attendance and billing records, placement test papers,
absence evidence until billed) whose period is not over, and rows a legal hold covers, stay;
the rest is deleted, or anonymised where reports count it. What stays is restricted: the learner
record disappears from every door (``Learner.objects``) and only the data-protection officer
sees it; contact data and the login go at once. Running courses, offers and waits are withdrawn
through the enrolment service (the seat goes to the next on the list), running internships are
ended. Each Jobcenter with an open link learns through the feed that the link ended, nothing
more, and the link goes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError, PermissionDeniedError
from enrolment.models import Enrolment
from enrolment.services import enrolment_withdraw
from internships.models import Placement
from internships.services import placement_abort
from jobcenter.models import JobcenterLink
from jobcenter.services import link_end
from people.models import LEARNER_ANONYMISED, Learner, LearnerEvent, Role, User
from people.services import learner_event_record
from privacy.declarations import Declared, all_declared, followers_of
from privacy.models import DataRequest, DeletionLog
from privacy.periods import Period
from privacy.services.retention import (
    ANCHOR,
    Context,
    Tally,
    annotated,
    anonymise_rows,
    delete_rows,
    forget_audit,
    held,
    period_over,
)


@dataclass(frozen=True)
class ErasureLine:
    """One kind of record about the learner and what an erasure does to it."""

    key: str
    model: str
    label: str
    count: int
    outcome: str  # "delete", "anonymise" or "keep"
    until: date | None = None  # kept: the first day the period is over (None: not yet known)
    held: bool = False


@dataclass(frozen=True)
class ErasurePlan:
    learner_id: int
    lines: tuple[ErasureLine, ...]
    open_links: int
    active_enrolments: int
    running_placements: int

    @property
    def keeps(self) -> bool:
        return any(line.outcome == "keep" for line in self.lines)

    @property
    def kept(self) -> tuple[ErasureLine, ...]:
        return tuple(line for line in self.lines if line.outcome == "keep")


ACTIVE = list(Enrolment.ACTIVE_STATUSES)
OPEN_PLACEMENTS = [
    Placement.Status.PROPOSED,
    Placement.Status.AGREED,
    Placement.Status.RUNNING,
]


def _primary() -> list[Declared]:
    """Per model, the declaration that decides the rows' fate (about a learner, own period)."""
    seen, out = set(), []
    for d in all_declared():
        if d.model in seen or d.model is Learner:
            continue
        seen.add(d.model)
        if d.own_period and d.retention.learner:
            out.append(d)
    return out


def _rows(d: Declared, learner: Learner) -> QuerySet:
    """All rows of the model about the learner (whatever the declaration's ``where``)."""
    path = d.retention.learner
    assert path is not None  # the declarations erasure reads name their learner
    return d.model._base_manager.filter(**{path: learner.pk}).annotate(
        **{ANCHOR: d.retention.anchor()}
    )


def _kept(d: Declared, ctx: Context, rows: QuerySet) -> Q:
    """The rows that must stay: under a running legal duty, or covered by a legal hold."""
    q = Q(pk__in=[])
    rule = ctx.rule(d.retention.key)
    if rule is not None and rule.legal_duty:
        running = Q(**{f"{ANCHOR}__isnull": True}) | ~period_over(d, ctx, rows)
        duty = d.retention.duty_where
        if duty is not None:
            duty = duty() if callable(duty) else duty
            running &= Q(pk__in=d.model._base_manager.filter(duty).values("pk"))
        q |= running
    hold = held(d, ctx.holds)
    if hold is not None:
        q |= hold
    return q


def _until(d: Declared, ctx: Context, rows: QuerySet) -> date | None:
    rule = ctx.rule(d.retention.key)
    period = rule.as_period if rule is not None else None
    anchors = [a for a in rows.values_list(ANCHOR, flat=True) if a is not None]
    if period is None or not anchors or rows.filter(**{f"{ANCHOR}__isnull": True}).exists():
        return None
    latest = max(anchors)
    latest = timezone.localdate(latest) if hasattr(latest, "tzinfo") and latest.tzinfo else latest
    return Period(period.amount, period.unit, period.from_year_end).due_on(latest)


def erasure_plan(*, learner: Learner, today: date | None = None) -> ErasurePlan:
    """What an erasure request would delete, anonymise and keep (nothing changes)."""
    today = today or timezone.localdate()
    ctx = Context(today)
    lines = []
    for d in _primary():
        rows = _rows(d, learner)
        total = rows.count()
        if not total:
            continue
        kept = rows.filter(_kept(d, ctx, rows))
        n_kept = kept.count()
        name = str(d.model._meta.verbose_name_plural)
        if n_kept:
            hold = held(d, ctx.holds)
            lines.append(
                ErasureLine(
                    d.retention.key,
                    d.label,
                    name,
                    n_kept,
                    "keep",
                    _until(d, ctx, kept),
                    hold is not None and kept.filter(hold).exists(),
                )
            )
        if total - n_kept:
            outcome = "delete" if d.retention.anonymise is None else "anonymise"
            lines.append(ErasureLine(d.retention.key, d.label, name, total - n_kept, outcome))
    return ErasurePlan(
        learner_id=learner.pk,
        lines=tuple(lines),
        open_links=_open_links(learner).count(),
        active_enrolments=Enrolment.objects.filter(learner=learner, status__in=ACTIVE).count(),
        running_placements=Placement.objects.filter(
            learner=learner, status__in=OPEN_PLACEMENTS
        ).count(),
    )


def _open_links(learner: Learner) -> QuerySet[JobcenterLink]:
    return JobcenterLink.objects.filter(
        learner=learner, ended_at__isnull=True, revoked_at__isnull=True
    )


class ErasureError(ConflictError):
    pass


@dataclass(frozen=True)
class ErasureResult:
    plan: ErasurePlan
    learner_deleted: bool
    jobcenters_told: int
    request: DataRequest


def may_erase(user: User, learner: Learner) -> bool:
    return user.is_superuser or learner.provider_id in user.provider_ids(role=Role.STAFF)


@transaction.atomic
def learner_erase(*, learner: Learner, by: User, today: date | None = None) -> ErasureResult:
    """Carry out an erasure request for ``learner`` (see the module's docstring)."""
    today = today or timezone.localdate()
    learner = Learner.all_objects.select_for_update().get(pk=learner.pk)
    if not may_erase(by, learner):
        raise PermissionDeniedError(
            _("Only staff of the learner's provider may erase their data."), code="not_staff"
        )
    if learner.restricted_at is not None:
        raise ErasureError(_("This learner's data has already been erased."), code="erased")
    provider_id = learner.provider_id
    moment = _moment(today)

    # 1. End what is running, through the services that own it (seats, waiting lists, events).
    for enrolment in Enrolment.objects.filter(learner=learner, status__in=ACTIVE):
        enrolment_withdraw(
            enrolment=enrolment, reason=Enrolment.WithdrawalReason.OTHER, by=by, on=today
        )
    for placement in Placement.objects.filter(learner=learner, status__in=OPEN_PLACEMENTS):
        placement_abort(placement=placement, by=by, reason=str(_("Erasure request")))
    notices = list(_open_links(learner).values_list("jobcenter_id", "customer_number"))
    for link in _open_links(learner):
        link_end(link=link, by=by)

    # 2. The check, then delete or anonymise what no duty or hold keeps.
    plan = erasure_plan(learner=learner, today=today)
    ctx = Context(today)
    tally: Tally = Counter()
    kept_total = 0
    for d in _primary():
        rows = _rows(d, learner)
        keep = _kept(d, ctx, rows)
        go = list(rows.exclude(keep).values_list("pk", flat=True))
        kept_ids = list(rows.filter(keep).values_list("pk", flat=True))
        kept_total += len(kept_ids)
        if d.retention.anonymise is None:
            delete_rows(d.model, go, key=d.retention.key, provider_id=provider_id, tally=tally)
        else:
            anonymise_rows(d, go, provider_id=provider_id, tally=tally)
        _clear_early_fields(d, kept_ids, ctx, provider_id, tally)
        if kept_ids:
            tally[(provider_id, d.retention.key, d.label, DeletionLog.Action.RESTRICTED)] += len(
                kept_ids
            )

    # 3. The learner record: restricted and minimised while anything stays, deleted otherwise.
    #    A hold on the learner or the provider keeps the record as it is (only hidden).
    user_id = learner.user_id
    learner_held = (
        learner.pk in ctx.holds.learner_ids or learner.provider_id in ctx.holds.provider_ids
    )
    # Anonymised rows (figures for reports) still point at the record: it stays, anonymised.
    remaining = any(_rows(d, learner).exists() for d in _primary())
    keeps = remaining or bool(notices) or learner_held
    learner_decl = next(d for d in all_declared() if d.model is Learner)
    for f in followers_of(Learner):
        rule = ctx.rule(f.retention.key)
        if learner_held or (kept_total and rule is not None and rule.legal_duty):
            continue  # e.g. the entitlement, the billing basis of the kept records
        owner = f.retention.follows
        assert owner is not None  # a follower names the foreign key to its owner
        ids = list(f.model._base_manager.filter(**{owner: learner.pk}).values_list("pk", flat=True))
        delete_rows(f.model, ids, key=f.retention.key, provider_id=provider_id, tally=tally)
    if keeps:
        if learner_held:
            mapping = {}
        elif kept_total:
            mapping = dict(learner_decl.retention.minimise or {})
        else:
            mapping = dict(LEARNER_ANONYMISED)
        mapping["restricted_at"] = moment
        if learner_held:
            if user_id is not None:
                User.objects.filter(pk=user_id).update(is_active=False)
            user_id = None
        Learner.all_objects.filter(pk=learner.pk).update(**mapping)
        if not learner_held:
            forget_audit(Learner, [learner.pk])
        label = learner_decl.label
        tally[(provider_id, "erasure_notices", label, DeletionLog.Action.RESTRICTED)] += 1
        for jobcenter_id, customer_number in notices:
            learner_event_record(
                learner=learner,
                type=LearnerEvent.Type.LINK_ENDED,
                data={"jobcenter_id": jobcenter_id, "customer_number": customer_number},
            )
    else:
        delete_rows(
            Learner, [learner.pk], key="learner_records", provider_id=provider_id, tally=tally
        )
    if user_id is not None:
        delete_rows(User, [user_id], key="user_accounts", provider_id=provider_id, tally=tally)

    # 4. The record of the request and the deletion log (counts only).
    outcome = {
        f"{key}:{label}:{action}": count
        for (_provider, key, label, action), count in sorted(tally.items())
    }
    request = DataRequest.objects.create(
        provider_id=provider_id,
        learner=learner if keeps else None,
        kind=DataRequest.Kind.ERASURE,
        handled_by=by,
        outcome=outcome,
        completed_at=moment,
    )
    now = moment
    DeletionLog.objects.bulk_create(
        DeletionLog(
            at=now,
            ran_on=today,
            source=DeletionLog.Source.ERASURE,
            provider_id=provider_id,
            key=key,
            model=label,
            action=action,
            count=count,
        )
        for (_provider, key, label, action), count in sorted(tally.items())
        if count
    )
    return ErasureResult(plan, not keeps, len(notices), request)


def _moment(today: date) -> datetime:
    """Now, or noon of ``today`` when the request is carried out for another day."""
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(today, time(12)))


def _clear_early_fields(
    d: Declared, kept_ids: list, ctx: Context, provider_id: int, tally: Tally
) -> None:
    """On kept rows, clear at once what a later declaration of the model clears early anyway
    (check-in metadata on kept register rows), unless a hold covers the row."""
    if not kept_ids:
        return
    for other in all_declared():
        if other.model is not d.model or other == d or other.retention.anonymise is None:
            continue
        rows = annotated(other).filter(pk__in=kept_ids)
        hold = held(other, ctx.holds)
        if hold is not None:
            rows = rows.exclude(hold)
        ids = list(rows.values_list("pk", flat=True))
        anonymise_rows(other, ids, provider_id=provider_id, tally=tally)
