"""Revenue per module as the reports read it: expected from the register, billed on issued
claims, paid by BAMF and by learners, UE lost to unexcused absence, claims held back.

- **Month** of a module is the month of its last course day: BAMF pays per finished module, so
  that is the month its claim falls due. The period filter selects modules by that day.
- **Expected**: for a module without an issued claim, its claim computed from the register up
  to today (a running module: what is held so far); for an issued claim, the issued figures
  (later corrections are correction notes on the claim, not a second truth here).
- **Billed**: the reimbursement and own contributions of issued claims. **Paid**: what staff
  recorded from BAMF's payment notices (``BamfPayment``) and learners' own-contribution payments.
- **UE lost to unexcused absence**: the UE of the days a learner was recorded ``U``, where the
  billable-code rule in force on that day says ``U`` is not billed (with basis "attended": the
  UE of the day not attended) (rule data, not a constant):
  the UE BAMF would have paid had the learner come. The share is lost / (billable + lost).
- **Held back**: a draft claim of a finished module with findings nobody acknowledged (as of
  the claim's last refresh), with the reimbursement at stake.

A fixed number of queries whatever the number of courses, modules or learners: the claims of
modules not yet issued are computed together (``compute_claims``), and only those whose stored
figures (``ModuleFigures``) are stale or missing: the figures are stored with the moment they
were computed, the day they run to and the rules' fingerprint, and marked as changed after every
change to their inputs (``billing.signals``). The report writes them — a copy of what it
computed, never a figure of its own: a load with nothing stale reads them in one query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Max, Min, QuerySet, Sum, Value, When
from django.utils import timezone

from attendance.models import Code
from attendance.selectors import counted_records
from attendance.services.base import today
from billing.models import (
    BamfPayment,
    BillableCode,
    Claim,
    ClaimLine,
    ContributionPayment,
    ModuleFigures,
)
from billing.rules import RuleBook
from billing.selectors.claims import ZERO, compute_claims
from core.errors import DomainError
from courses.models import Course, Module, Session


@dataclass(frozen=True)
class Period:
    """The modules whose last course day lies from ``date_from`` to ``date_to``."""

    date_from: date
    date_to: date


@dataclass
class ModuleRevenue:
    """One module of one course: what the register says it is worth, what was billed and paid."""

    course: Course
    module: Module
    first_day: date
    last_day: date
    claim_id: int | None
    status: str  # "" (no claim yet), Claim.Status.DRAFT or Claim.Status.ISSUED
    finished: bool
    expected: Decimal = ZERO
    expected_contributions: Decimal = ZERO
    billed: Decimal = ZERO
    billed_contributions: Decimal = ZERO
    bamf_paid: Decimal = ZERO
    contributions_paid: Decimal = ZERO
    billable_ue: Decimal = ZERO
    lost_ue: Decimal = ZERO
    open_findings: int = 0

    @property
    def month(self) -> str:
        return f"{self.last_day:%Y-%m}"

    @property
    def location(self) -> str:
        return str(self.course.location)

    @property
    def issued(self) -> bool:
        return self.status == Claim.Status.ISSUED

    @property
    def held_back(self) -> bool:
        return self.status == Claim.Status.DRAFT and self.finished and self.open_findings > 0

    @property
    def lost_share(self) -> Decimal | None:
        """Share of the billable UE lost to unexcused absence (0–1), None when nothing was due."""
        due = self.billable_ue + self.lost_ue
        return self.lost_ue / due if due else None


@dataclass
class Revenue:
    modules: list[ModuleRevenue] = field(default_factory=list)
    #: Why expected figures are missing (no rule in force for some module's days), or "".
    problem: str = ""


def revenue_modules(*, courses: QuerySet[Course], period: Period) -> Revenue:
    """Every module of ``courses`` whose last course day lies in ``period``, with its figures."""
    course_by_id = {
        c.pk: c for c in courses.select_related("location", "course_type", "provider").order_by()
    }
    spans = list(
        Session.objects.held()
        .filter(course_id__in=list(course_by_id))
        .values("course_id", "module_id")
        .annotate(first=Min("date"), last=Max("date"))
        .filter(last__gte=period.date_from, last__lte=period.date_to)
        .order_by()
    )
    if not spans:
        return Revenue()
    modules = {m.pk: m for m in Module.objects.filter(pk__in={s["module_id"] for s in spans})}
    claims = {
        (c.course_id, c.module_id): c
        for c in Claim.objects.filter(
            course_id__in={s["course_id"] for s in spans},
            module_id__in=set(modules),
        ).only(
            "id", "course_id", "module_id", "status", "reimbursement_total", "contribution_total"
        )
    }
    now = today()
    rows: list[ModuleRevenue] = []
    for span in spans:
        claim = claims.get((span["course_id"], span["module_id"]))
        rows.append(
            ModuleRevenue(
                course=course_by_id[span["course_id"]],
                module=modules[span["module_id"]],
                first_day=span["first"],
                last_day=span["last"],
                claim_id=claim.pk if claim else None,
                status=claim.status if claim else "",
                finished=span["last"] <= now,
            )
        )
    rows.sort(key=lambda r: (r.last_day, r.course.pk, r.module.order))
    rules = RuleBook.load()
    _add_claim_figures(rows, [claims[(r.course.pk, r.module.pk)] for r in rows if r.claim_id])
    started, rules_key = timezone.now(), rules.key()
    stale = _add_stored(rows, rules_key)
    problem = _add_expected([r for r in stale if not r.issued], rules)
    _add_lost_ue(stale, rules)
    if not problem:
        _store(stale, rules_key, computed_at=started)
    return Revenue(rows, problem)


def refresh_stored_figures() -> int:
    """Compute the stale or missing stored figures of every module of every course that has
    course days (what the report would compute on its next load); returns how many modules the
    report covers. For the daily job: the first load of the day reads instead of computing."""
    revenue = revenue_modules(
        courses=Course.objects.filter(sessions__isnull=False).distinct(),
        period=Period(date.min, date.max),
    )
    return len(revenue.modules)


def _sums(qs: QuerySet, key: str, value: str) -> dict[int, Decimal]:
    return {
        row[key]: row["total"] or ZERO
        for row in qs.values(key).annotate(total=Sum(value)).order_by()
    }


def _add_claim_figures(rows: list[ModuleRevenue], claims: list[Claim]) -> None:
    """Issued figures, payments and open findings of the stored claims (four queries)."""
    ids = [c.pk for c in claims]
    bamf = _sums(BamfPayment.objects.filter(claim_id__in=ids), "claim_id", "amount")
    own = _sums(ContributionPayment.objects.filter(claim_id__in=ids), "claim_id", "amount")
    billable = _sums(
        ClaimLine.objects.filter(claim_id__in=ids, claim__status=Claim.Status.ISSUED),
        "claim_id",
        "billable_ue",
    )
    open_findings = dict(
        Claim.objects.filter(pk__in=ids, findings__acknowledged_at__isnull=True)
        .values("pk")
        .annotate(n=Count("findings"))
        .order_by()
        .values_list("pk", "n")
    )
    stored = {c.pk: c for c in claims}
    for row in rows:
        if row.claim_id is None:
            continue
        claim = stored[row.claim_id]
        row.bamf_paid = bamf.get(row.claim_id, ZERO)
        row.contributions_paid = own.get(row.claim_id, ZERO)
        row.open_findings = open_findings.get(row.claim_id, 0)
        if row.issued:
            row.billed = row.expected = claim.reimbursement_total
            row.billed_contributions = claim.contribution_total
            row.expected_contributions = claim.contribution_total
            row.billable_ue = billable.get(row.claim_id, ZERO)


#: What a computation writes of the stored figures (not ``changed_at``: a mark that arrived
#: during the computation stays, and makes its figures stale).
STORED_FIELDS = [
    "reimbursement",
    "own_contribution",
    "billable_ue",
    "lost_ue",
    "until",
    "rules_key",
    "computed_at",
]


def _add_stored(rows: list[ModuleRevenue], rules_key: str) -> list[ModuleRevenue]:
    """The stored figures of the modules where still fresh (one query); returns the modules
    whose figures are stale or missing. Of an issued claim only the lost UE are read (the
    rest comes from the claim)."""
    if not rows:
        return []
    now = today()
    stored = {
        (f.course_id, f.module_id): f
        for f in ModuleFigures.objects.filter(
            course_id__in={r.course.pk for r in rows},
            module_id__in={r.module.pk for r in rows},
        )
    }
    stale = []
    for row in rows:
        figures = stored.get((row.course.pk, row.module.pk))
        if figures is None or not _fresh(figures, until=min(now, row.last_day), key=rules_key):
            stale.append(row)
            continue
        row.lost_ue = figures.lost_ue
        if not row.issued:
            row.expected = figures.reimbursement
            row.expected_contributions = figures.own_contribution
            row.billable_ue = figures.billable_ue
    return stale


def _fresh(figures: ModuleFigures, *, until: date, key: str) -> bool:
    """Stored figures count when computed after the last change to their inputs, up to the same
    day and by the same rule versions."""
    if figures.computed_at is None or figures.until != until or figures.rules_key != key:
        return False
    return figures.changed_at is None or figures.changed_at < figures.computed_at


def _add_expected(rows: list[ModuleRevenue], rules: RuleBook) -> str:
    """The claims of these modules (not issued yet), computed together from the register."""
    if not rows:
        return ""
    try:
        computed = compute_claims([(r.course, r.module) for r in rows], rules=rules)
    except DomainError as exc:  # a module's day without a rate in force
        return exc.message
    for row, claim in zip(rows, computed, strict=True):
        row.expected = claim.reimbursement
        row.expected_contributions = claim.own_contribution
        row.billable_ue = claim.billable_ue
    return ""


def _store(rows: list[ModuleRevenue], rules_key: str, *, computed_at: datetime) -> None:
    """Store the figures just computed (one query), as of ``computed_at``: the moment before the
    register was read."""
    if not rows:
        return
    now = today()
    ModuleFigures.objects.bulk_create(
        [
            ModuleFigures(
                course_id=row.course.pk,
                module_id=row.module.pk,
                reimbursement=ZERO if row.issued else row.expected,
                own_contribution=ZERO if row.issued else row.expected_contributions,
                billable_ue=ZERO if row.issued else row.billable_ue,
                lost_ue=row.lost_ue,
                until=min(now, row.last_day),
                rules_key=rules_key,
                computed_at=computed_at,
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["course", "module"],
        update_fields=STORED_FIELDS,
    )


def _add_lost_ue(rows: list[ModuleRevenue], rules: RuleBook) -> None:
    """UE of unexcused days, where the code rule in force on the day does not bill them (one
    query, summed per module and rule period: the days between two rule changes)."""
    if not rows:
        return
    changes = rules.change_days()
    period_of = Case(
        *[When(session__date__lt=d, then=Value(i)) for i, d in enumerate(changes)],
        default=Value(len(changes)),
        output_field=IntegerField(),
    )
    lost: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for record in (
        counted_records()
        .filter(
            code=Code.UNEXCUSED,
            session__course_id__in={r.course.pk for r in rows},
            session__module_id__in={r.module.pk for r in rows},
            session__date__lte=today(),
            session__status=Session.Status.PLANNED,
        )
        .annotate(period=period_of)
        .values("session__course_id", "session__module_id", "period")
        .annotate(ue=Sum("session__ue"), attended=Sum("ue_attended"))
        .order_by()
    ):
        # period i runs from the (i-1)th change day on; period 0 lies before every rule
        period = record["period"]
        rule = rules.codes_on(changes[period - 1]).get(Code.UNEXCUSED) if period else None
        if rule is None or not rule.billable:
            ue = Decimal(record["ue"] or 0)
        elif rule.basis == BillableCode.Basis.ATTENDED:
            ue = Decimal(record["ue"] or 0) - (record["attended"] or ZERO)
        else:
            continue  # the rule bills unexcused days in full: nothing lost
        key = (record["session__course_id"], record["session__module_id"])
        lost[key] += ue
    for row in rows:
        row.lost_ue = lost.get((row.course.pk, row.module.pk), ZERO)
