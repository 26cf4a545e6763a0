"""The claim per module computed from the register: per learner UE held, attended and billable, reimbursement and own contribution, each part by the rule version in force on its days."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, IntegerField, Q, Sum, Value, When

from attendance.selectors import Figures, attendance_figures_by_module, counted_records
from attendance.services.base import today
from billing.models import (
    BillableCode,
    FeeExemption,
    OwnContribution,
    ReimbursementRate,
    TravelSubsidyApplication,
    TravelSubsidyRule,
)
from billing.rules import RuleBook
from courses.models import Course, CourseType, Module, Session
from enrolment.models import Enrolment
from people.models import Learner

CENT = Decimal("0.01")
ZERO = Decimal(0)
#: Enrolments that can appear on a claim (they were in the course on some day of the module).
CLAIM_STATUSES = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN)
#: The learner's exemption recorded only as the flag on the learner (no ground, no validity).
FLAG_GROUND = "fee_exempt"


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ClaimPart:
    """One learner's figures for the days one set of rule versions was in force."""

    period_from: date
    period_to: date
    ue_held: int
    ue_attended: Decimal
    billable_ue: Decimal
    rate: ReimbursementRate
    reimbursement: Decimal
    contribution: OwnContribution | None
    own_contribution: Decimal
    code_rules: tuple[int, ...]
    travel_days: int = 0
    travel_subsidy: Decimal = ZERO
    travel_rule: TravelSubsidyRule | None = None


@dataclass
class LearnerClaim:
    enrolment: Enrolment
    exempt: bool
    exemption_ground: str
    parts: list[ClaimPart] = field(default_factory=list)

    @property
    def learner(self) -> Learner:
        return self.enrolment.learner

    @property
    def ue_held(self) -> int:
        return sum(p.ue_held for p in self.parts)

    @property
    def ue_attended(self) -> Decimal:
        return sum((p.ue_attended for p in self.parts), ZERO)

    @property
    def billable_ue(self) -> Decimal:
        return sum((p.billable_ue for p in self.parts), ZERO)

    @property
    def reimbursement(self) -> Decimal:
        return sum((p.reimbursement for p in self.parts), ZERO)

    @property
    def own_contribution(self) -> Decimal:
        return sum((p.own_contribution for p in self.parts), ZERO)

    @property
    def travel_days(self) -> int:
        return sum(p.travel_days for p in self.parts)

    @property
    def travel_subsidy(self) -> Decimal:
        return sum((p.travel_subsidy for p in self.parts), ZERO)


@dataclass
class ComputedClaim:
    course: Course
    module: Module
    sessions: list[Session]
    until: date | None
    group_size: int = 0
    learners: list[LearnerClaim] = field(default_factory=list)
    #: Everyone enrolled in the course on some day of the module (for the pre-check).
    enrolments: list[Enrolment] = field(default_factory=list)

    @property
    def first_day(self) -> date | None:
        return self.sessions[0].date if self.sessions else None

    @property
    def last_day(self) -> date | None:
        return self.sessions[-1].date if self.sessions else None

    @property
    def finished(self) -> bool:
        last = self.last_day
        return last is not None and self.until is not None and self.until >= last

    @property
    def ue_held(self) -> int:
        return sum(s.ue for s in self.sessions if self.until and s.date <= self.until)

    @property
    def billable_ue(self) -> Decimal:
        return sum((c.billable_ue for c in self.learners), ZERO)

    @property
    def reimbursement(self) -> Decimal:
        return sum((c.reimbursement for c in self.learners), ZERO)

    @property
    def own_contribution(self) -> Decimal:
        return sum((c.own_contribution for c in self.learners), ZERO)

    @property
    def travel_subsidy(self) -> Decimal:
        return sum((c.travel_subsidy for c in self.learners), ZERO)


#: What a claim and its pre-check read of a course day.
SESSION_FIELDS = (
    "course_id",
    "module_id",
    "date",
    "start_time",
    "end_time",
    "ue",
    "status",
    "signoff__id",
    "signoff__session_id",
)
#: What a claim and its pre-check read of an enrolment and its learner.
ENROLMENT_FIELDS = (
    "course_id",
    "learner_id",
    "module_id",
    "status",
    "start_date",
    "ended_on",
    "late_entry_confirmed_at",
    "learner__first_name",
    "learner__last_name",
    "learner__bamf_number",
    "learner__fee_exempt",
    "learner__provider_id",
    "learner__restricted_at",
)


def claim_enrolment_rows(*, course_ids: Iterable[int], first: date, last: date) -> list[Enrolment]:
    """Enrolments in the courses on some day from ``first`` to ``last`` (one query)."""
    return list(
        Enrolment.objects.filter(course_id__in=list(course_ids), status__in=CLAIM_STATUSES)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=last))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .select_related("learner")
        .only(*ENROLMENT_FIELDS)
        .order_by("learner__last_name", "learner__first_name", "pk")
    )


def _minus(a: Figures | None, b: Figures | None) -> tuple[int, Decimal]:
    held = (a.ue_held if a else 0) - (b.ue_held if b else 0)
    attended = (a.ue_attended if a else ZERO) - (b.ue_attended if b else ZERO)
    return held, attended


def _exemptions(
    learner_ids: Iterable[int], first: date, last: date
) -> dict[int, list[FeeExemption]]:
    out: dict[int, list[FeeExemption]] = defaultdict(list)
    for row in FeeExemption.objects.filter(
        learner_id__in=list(learner_ids), valid_from__lte=last, valid_until__gte=first
    ).select_related("ground"):
        out[row.learner_id].append(row)
    return out


def _exemption_for(
    enrolment: Enrolment, day: date, exemptions: list[FeeExemption]
) -> tuple[bool, str]:
    """Exempt for the module when an exemption covers the learner's first day in it (the own
    contribution is due per module at its start); else by the learner's own flag."""
    for row in exemptions:
        if row.valid_from <= day <= row.valid_until:
            return True, row.ground.code
    if enrolment.learner.fee_exempt:
        return True, FLAG_GROUND
    return False, ""


@dataclass(frozen=True)
class TravelInput:
    """What the travel subsidy of a batch reads: the learners' applications and, for the
    enrolments of learners who applied, the register codes per day and module."""

    applications: dict[int, list[TravelSubsidyApplication]]
    codes_by_day: dict[tuple[int, int], dict[date, set[str]]]


def _travel_input(
    enrolments: list[Enrolment], *, course_ids: set[int], module_ids: set[int], until: date
) -> TravelInput:
    """Two queries at most (the second only when someone applied), whatever the learners."""
    applications: dict[int, list[TravelSubsidyApplication]] = defaultdict(list)
    for application in TravelSubsidyApplication.objects.filter(
        learner_id__in={e.learner_id for e in enrolments}
    ).order_by("recorded_at"):
        applications[application.learner_id].append(application)
    codes_by_day: dict[tuple[int, int], dict[date, set[str]]] = defaultdict(dict)
    applied = [e.pk for e in enrolments if e.learner_id in applications]
    if applied:
        for row in (
            counted_records()
            .filter(
                enrolment_id__in=applied,
                session__course_id__in=course_ids,
                session__module_id__in=module_ids,
                session__date__lte=until,
                session__status=Session.Status.PLANNED,
            )
            .values_list("enrolment_id", "session__module_id", "session__date", "code")
            .order_by()
        ):
            enrolment_id, module_id, day, code = row
            codes_by_day[(enrolment_id, module_id)].setdefault(day, set()).add(code)
    return TravelInput(applications=applications, codes_by_day=codes_by_day)


def travel_days(
    *,
    rule: TravelSubsidyRule | None,
    module_first_day: date,
    days: dict[date, set[str]],
    start: date,
    end: date,
    applications: list[TravelSubsidyApplication],
    exemptions: list[FeeExemption],
) -> int:
    """Days from ``start`` to ``end`` that earn the travel subsidy: a day coded as the rule
    counts (present, internship, excused), on which an exemption on a ground that allows the
    subsidy is valid, and on which an application for a distance of at least the rule's minimum
    counts. An application is never backdated: it counts from the day it was recorded, or — BAMF's
    rule (IntV § 4a Abs. 1 S. 2) — only from the module that begins after it."""
    if rule is None or not applications:
        return 0
    far = [a for a in applications if a.distance_km >= rule.min_distance_km]
    if not far:
        return 0
    if rule.starts == TravelSubsidyRule.Start.NEXT_MODULE:
        if not any(a.recorded_on < module_first_day for a in far):
            return 0
        counts_from = module_first_day
    else:
        counts_from = min(a.recorded_on for a in far)
    grounds = [e for e in exemptions if e.ground.travel_subsidy]
    counted = 0
    for day, codes in days.items():
        if not (start <= day <= end) or day < counts_from:
            continue
        if not codes & set(rule.codes):
            continue
        if any(e.valid_from <= day <= e.valid_until for e in grounds):
            counted += 1
    return counted


def compute_claim(
    *,
    course: Course,
    module: Module,
    until: date | None = None,
    rules: RuleBook | None = None,
) -> ComputedClaim:
    """The claim of ``module`` in ``course`` from the register, up to ``until`` (default today;
    days after it are not held yet). Fourteen queries, none per learner (``compute_claims``)."""
    return compute_claims([(course, module)], until=until, rules=rules)[0]


def compute_claims(
    pairs: Sequence[tuple[Course, Module]],
    *,
    until: date | None = None,
    rules: RuleBook | None = None,
) -> list[ComputedClaim]:
    """The claims of many modules at once, in a fixed number of queries whatever the number of
    modules or learners: the rules (6), the programmes, the sessions, the enrolments, the
    figures (2, plus 2 per rule change inside the modules' days), the UE per register code, the
    exemptions and the travel-subsidy applications (plus the register days of the learners who
    applied, when any did).

    The figures of a period are those up to its last day less those up to the day before it
    began (``attendance_figures_by_module`` at each rule change day); nothing of a module is
    held before its first day, so its first period needs no subtraction."""
    rules = rules or RuleBook.load()
    if not pairs:
        return []
    limit = until or today()
    course_ids = {c.pk for c, _m in pairs}
    module_ids = {m.pk for _c, m in pairs}
    programme_of = dict(
        CourseType.objects.filter(pk__in={c.course_type_id for c, _m in pairs}).values_list(
            "pk", "programme_id"
        )
    )
    days: dict[tuple[int, int], list[Session]] = defaultdict(list)
    for session in (
        Session.objects.held()
        .filter(course_id__in=course_ids, module_id__in=module_ids)
        .select_related("signoff")
        .only(*SESSION_FIELDS)
        .order_by("date", "start_time")
    ):
        days[(session.course_id, session.module_id)].append(session)
    claims: list[ComputedClaim] = []
    for course, module in pairs:
        sessions = days.get((course.pk, module.pk), [])
        end = min(limit, sessions[-1].date) if sessions else None
        claims.append(ComputedClaim(course, module, sessions, end))
    live = [c for c in claims if c.until is not None and c.first_day and c.until >= c.first_day]
    if not live:
        return claims
    first_all = min(c.first_day for c in live if c.first_day)
    last_all = max(c.last_day for c in live if c.last_day)
    until_all = max(c.until for c in live if c.until)
    by_course: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in claim_enrolment_rows(course_ids=course_ids, first=first_all, last=last_all):
        by_course[enrolment.course_id].append(enrolment)
    for claim in live:
        first, last = claim.first_day, claim.last_day
        assert first is not None and last is not None
        claim.enrolments = [
            e
            for e in by_course.get(claim.course.pk, [])
            if (e.start_date is None or e.start_date <= last)
            and (e.ended_on is None or e.ended_on >= first)
        ]
    enrolments = list({e.pk: e for c in live for e in c.enrolments}.values())
    if not enrolments:
        return claims

    # Figures at the end of each period: the day before each rule change, and the last day.
    changes = rules.change_days()
    cuts = [d for d in changes if first_all < d <= until_all]
    figures_before = {
        d: attendance_figures_by_module(enrolments, until=d - timedelta(days=1), modules=module_ids)
        for d in cuts
    }
    figures_final = attendance_figures_by_module(enrolments, until=until_all, modules=module_ids)

    # UE per register code and rule period (periods numbered by the rule changes before them).
    period_of = Case(
        *[When(session__date__lt=d, then=Value(i)) for i, d in enumerate(changes)],
        default=Value(len(changes)),
        output_field=IntegerField(),
    )
    per_code: dict[tuple[int, int, int], dict[str, tuple[Decimal, int]]] = defaultdict(dict)
    rows = (
        counted_records()
        .filter(
            # by the modules' course days (not a list of every enrolment): the same rows
            session__course_id__in=course_ids,
            session__module_id__in=module_ids,
            session__date__lte=until_all,
            session__status=Session.Status.PLANNED,
        )
        .annotate(period=period_of)
        .values("enrolment_id", "session__module_id", "period", "code")
        .annotate(attended=Sum("ue_attended"), day=Sum("session__ue"))
        .values_list("enrolment_id", "session__module_id", "period", "code", "attended", "day")
        .order_by()
    )
    for enrolment_id, module_id, period, code, attended, day in rows:
        per_code[(enrolment_id, module_id, period)][code] = (attended or ZERO, day or 0)

    exemptions = _exemptions({e.learner_id for e in enrolments}, first_all, last_all)
    travel = _travel_input(
        enrolments, course_ids=course_ids, module_ids=module_ids, until=until_all
    )
    for claim in live:
        _fill(
            claim,
            rules=rules,
            changes=changes,
            figures_before=figures_before,
            figures_final=figures_final,
            per_code=per_code,
            exemptions=exemptions,
            travel=travel,
            programme_id=programme_of.get(claim.course.course_type_id),
        )
    return claims


@dataclass(frozen=True)
class _PeriodRules:
    """The rule versions of one period of a claim, looked up once per period (not per learner):
    ``billable`` maps each billable code to whether its basis is the UE attended (else the day).
    The rate is looked up at its first use, as before: a period without a learner's UE needs
    none (and a missing rate there is no error)."""

    start: date
    end: date
    number: int
    billable: dict[str, bool]
    code_rules: tuple[int, ...]
    contribution: OwnContribution | None
    travel_rule: TravelSubsidyRule | None


def _period_rules(
    rules: RuleBook, changes: list[date], periods: list[tuple[date, date]]
) -> list[_PeriodRules]:
    out = []
    for start, end in periods:
        code_rules = rules.codes_on(start)
        out.append(
            _PeriodRules(
                start=start,
                end=end,
                number=bisect_right(changes, start),
                billable={
                    code: rule.basis == BillableCode.Basis.ATTENDED
                    for code, rule in code_rules.items()
                    if rule.billable
                },
                code_rules=tuple(sorted(r.pk for r in code_rules.values())),
                contribution=rules.contribution(on=start),
                travel_rule=rules.travel_rule(on=start),
            )
        )
    return out


def _fill(
    claim: ComputedClaim,
    *,
    rules: RuleBook,
    changes: list[date],
    figures_before: dict[date, dict[int, dict[int, Figures]]],
    figures_final: dict[int, dict[int, Figures]],
    per_code: dict[tuple[int, int, int], dict[str, tuple[Decimal, int]]],
    exemptions: dict[int, list[FeeExemption]],
    travel: TravelInput,
    programme_id: int | None,
) -> None:
    """One claim's learners and lines from the batch's figures. The rule versions are resolved
    once per period of the claim (``_period_rules``), not once per learner."""
    module_id, first, until = claim.module.pk, claim.first_day, claim.until
    assert first is not None and until is not None
    periods = rules.periods(first, until)
    # figures at the end of period i: the day before period i+1 begins, or the final figures.
    at_end = [figures_before[periods[i + 1][0]] for i in range(len(periods) - 1)] + [figures_final]
    at_start: list[dict[int, dict[int, Figures]]] = [{}, *at_end[:-1]]
    bounds = list(zip(at_end, at_start, strict=True))

    members = []
    for enrolment in claim.enrolments:
        fig = figures_final.get(enrolment.pk, {}).get(module_id)
        if fig is not None and fig.ue_held > 0:
            members.append(enrolment)
    claim.group_size = len(members)
    if not members:
        return
    resolved = _period_rules(rules, changes, periods)
    rates: dict[date, ReimbursementRate] = {}
    no_codes: dict[str, tuple[Decimal, int]] = {}
    for enrolment in members:
        eid = enrolment.pk
        entry = max(first, enrolment.start_date or first)
        learner_exemptions = exemptions.get(enrolment.learner_id, [])
        exempt, ground = _exemption_for(enrolment, entry, learner_exemptions)
        learner_claim = LearnerClaim(enrolment=enrolment, exempt=exempt, exemption_ground=ground)
        applications = travel.applications.get(enrolment.learner_id, [])
        for period, (end_figures, start_figures) in zip(resolved, bounds, strict=True):
            ue_held, attended = _minus(
                end_figures.get(eid, {}).get(module_id),
                start_figures.get(eid, {}).get(module_id),
            )
            if ue_held <= 0 and not attended:
                continue
            billable = ZERO
            billable_codes = period.billable
            for code, (ue_attended, ue_day) in per_code.get(
                (eid, module_id, period.number), no_codes
            ).items():
                basis_attended = billable_codes.get(code)
                if basis_attended is None:
                    continue
                billable += ue_attended if basis_attended else ue_day
            rate = rates.get(period.start)
            if rate is None:
                rate = rates[period.start] = rules.rate(
                    on=period.start, group_size=claim.group_size, programme_id=programme_id
                )
            contribution = period.contribution
            own = ZERO
            if contribution is not None and not exempt:
                basis = (
                    Decimal(ue_held)
                    if contribution.basis == OwnContribution.Basis.HELD
                    else billable
                )
                own = money(basis * contribution.amount)
            travel_rule = period.travel_rule
            days_earned = (
                travel_days(
                    rule=travel_rule,
                    module_first_day=first,
                    days=travel.codes_by_day.get((eid, module_id), {}),
                    start=period.start,
                    end=period.end,
                    applications=applications,
                    exemptions=learner_exemptions if exempt else [],
                )
                if applications
                else 0
            )
            learner_claim.parts.append(
                ClaimPart(
                    period_from=period.start,
                    period_to=period.end,
                    ue_held=ue_held,
                    ue_attended=attended,
                    billable_ue=billable.quantize(CENT),
                    rate=rate,
                    reimbursement=money(billable * rate.amount),
                    contribution=contribution,
                    own_contribution=own,
                    code_rules=period.code_rules,
                    travel_days=days_earned,
                    travel_subsidy=money(days_earned * travel_rule.amount_per_day)
                    if travel_rule and days_earned
                    else ZERO,
                    travel_rule=travel_rule if days_earned else None,
                )
            )
        if learner_claim.parts:
            claim.learners.append(learner_claim)
