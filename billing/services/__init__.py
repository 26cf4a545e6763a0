"""Every write of billing: open and refresh a claim, acknowledge findings, issue, correction notes,
payments; own-contribution evidence and reminders (``contributions``), test fees and the travel
subsidy (``fees``)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import (
    BamfPayment,
    Claim,
    ClaimLine,
    ContributionPayment,
    CorrectionNote,
    Finding,
)
from billing.rules import RuleBook
from billing.selectors import ComputedClaim, compute_claim, precheck
from billing.selectors.fees import compute_test_fees
from core.errors import ConflictError, DomainError
from courses.models import Course, Module
from enrolment.models import Enrolment
from people.models import User


class BillingError(DomainError):
    pass


@transaction.atomic
def claim_open(*, course: Course, module: Module) -> Claim:
    """The module's claim, created as a draft the first time it is asked for."""
    claim, _created = Claim.objects.get_or_create(
        course=course, module=module, defaults={"bamf_course_number": course.bamf_course_number}
    )
    return claim


@transaction.atomic
def claim_refresh(*, claim: Claim, rules: RuleBook | None = None) -> ComputedClaim:
    """Recompute a draft from the register and bring its findings up to date.

    A finding still present keeps its acknowledgement; one whose defect was fixed goes; a new
    defect becomes a new, open finding. An issued claim is not touched (see
    ``claim_corrections_check``)."""
    computed = compute_claim(course=claim.course, module=claim.module, rules=rules)
    if claim.is_issued:
        return computed
    problems = {Finding.key_for(*p.key): p for p in precheck(computed, rules=rules)}
    existing = {f.key: f for f in claim.findings.all()}
    gone = [f.pk for key, f in existing.items() if key not in problems]
    if gone:
        Finding.objects.filter(pk__in=gone).delete()
    Finding.objects.bulk_create(
        (
            Finding(
                claim=claim,
                key=key,
                kind=p.kind,
                enrolment=p.enrolment,
                session=p.session,
                test=p.test,
                day=p.day,
            )
            for key, p in problems.items()
            if key not in existing
        ),
        ignore_conflicts=True,
    )
    claim.first_day, claim.last_day = computed.first_day, computed.last_day
    claim.group_size = computed.group_size
    claim.reimbursement_total = computed.reimbursement
    claim.contribution_total = computed.own_contribution
    claim.bamf_course_number = claim.course.bamf_course_number
    claim.save(
        update_fields=[
            "first_day",
            "last_day",
            "group_size",
            "reimbursement_total",
            "contribution_total",
            "bamf_course_number",
        ]
    )
    return computed


@transaction.atomic
def finding_acknowledge(*, finding: Finding, by: User, reason: str) -> Finding:
    """Staff decide to bill despite the finding, and say why."""
    reason = (reason or "").strip()
    if not reason:
        raise BillingError(
            _("Say why the claim may go out despite this finding."),
            code="reason_required",
            field="reason",
        )
    claim = Claim.objects.select_for_update().get(pk=finding.claim_id)
    if claim.is_issued:
        raise ConflictError(_("The claim is already issued."), code="claim_issued")
    finding.acknowledged_by = by
    finding.acknowledged_at = timezone.now()
    finding.reason = reason
    finding.save(update_fields=["acknowledged_by", "acknowledged_at", "reason"])
    return finding


def claim_issue(*, claim: Claim, by: User) -> Claim:
    """Issue the claim: only for a finished module, and only when every pre-check finding is
    fixed or acknowledged. The lines are stored with the rule versions that produced them and
    never change afterwards. The findings are brought up to date first, in their own
    transaction, so a refused issue still shows staff what to fix."""
    claim = Claim.objects.select_related("course", "module").get(pk=claim.pk)
    if not claim.is_issued:
        claim_refresh(claim=claim)
    return _issue(claim=claim, by=by)


@transaction.atomic
def _issue(*, claim: Claim, by: User) -> Claim:
    claim = Claim.objects.select_for_update().select_related("course", "module").get(pk=claim.pk)
    if claim.is_issued:
        raise ConflictError(_("The claim is already issued."), code="claim_issued")
    computed = claim_refresh(claim=claim)
    if not computed.finished:
        raise BillingError(
            _("The module is not finished yet: a claim is issued once its last day is held."),
            code="module_not_finished",
        )
    open_findings = claim.findings.filter(acknowledged_at__isnull=True).count()
    if open_findings:
        raise BillingError(
            _("%(n)s pre-check findings are neither fixed nor acknowledged.")
            % {"n": open_findings},
            code="open_findings",
        )
    ClaimLine.objects.bulk_create(
        ClaimLine(
            claim=claim,
            enrolment=lc.enrolment,
            learner_name=lc.learner.full_name,
            bamf_number=lc.learner.bamf_number,
            period_from=part.period_from,
            period_to=part.period_to,
            ue_held=part.ue_held,
            ue_attended=part.ue_attended,
            billable_ue=part.billable_ue,
            rate=part.rate,
            rate_amount=part.rate.amount,
            reimbursement=part.reimbursement,
            contribution=part.contribution,
            contribution_amount=part.contribution.amount if part.contribution else Decimal(0),
            own_contribution=part.own_contribution,
            exempt=lc.exempt,
            exemption_ground=lc.exemption_ground,
            code_rules=list(part.code_rules),
            travel_days=part.travel_days,
            travel_subsidy=part.travel_subsidy,
            travel_rule=part.travel_rule,
        )
        for lc in computed.learners
        for part in lc.parts
    )
    claim_fees_freeze(claim, compute_test_fees(claim))
    claim.status = Claim.Status.ISSUED
    claim.issued_at = timezone.now()
    claim.issued_by = by
    claim.save(update_fields=["status", "issued_at", "issued_by"])
    return claim


#: The figures of a line compared after issue.
COMPARED = (
    "ue_held",
    "ue_attended",
    "billable_ue",
    "reimbursement",
    "own_contribution",
    "travel_days",
    "travel_subsidy",
)


@transaction.atomic
def claim_corrections_check(*, claim: Claim) -> CorrectionNote | None:
    """For an issued claim: recompute from today's register and, when figures differ from the
    issued lines, record a correction note (once per state). The issued lines stay as issued."""
    if not claim.is_issued:
        return None
    computed = compute_claim(course=claim.course, module=claim.module)
    now = {
        (lc.enrolment.pk, part.period_from.isoformat()): (lc.learner.full_name, part)
        for lc in computed.learners
        for part in lc.parts
    }
    issued = {(line.enrolment_id, line.period_from.isoformat()): line for line in claim.lines.all()}
    changes = []
    for key in sorted(set(now) | set(issued), key=lambda k: (k[0], k[1])):
        line = issued.get(key)
        name, part = now.get(key, (line.learner_name if line else "", None))
        for name_of_field in COMPARED:
            before = getattr(line, name_of_field) if line else None
            after = getattr(part, name_of_field) if part else None
            if _same(before, after):
                continue
            changes.append(
                {
                    "enrolment": key[0],
                    "period_from": key[1],
                    "learner": line.learner_name if line else name,
                    "field": name_of_field,
                    "issued": _shown(name_of_field, before),
                    "now": _shown(name_of_field, after),
                }
            )
    if not changes:
        return None
    fingerprint = hashlib.sha256(json.dumps(changes, sort_keys=True).encode()).hexdigest()
    note, _created = CorrectionNote.objects.get_or_create(
        claim=claim, fingerprint=fingerprint, defaults={"changes": changes}
    )
    return note


def _shown(name: str, value) -> str | None:
    if value is None:
        return None
    return str(value) if name in ("ue_held", "travel_days") else f"{Decimal(str(value)):.2f}"


def _same(a, b) -> bool:
    if a is None or b is None:
        return (a is None and b is None) or (not a and not b)
    return Decimal(str(a)) == Decimal(str(b))


def claims_affected(*, course_id: int, module_id: int) -> None:
    """After a change to the register: check the issued claim of that module, if there is one."""
    for claim in Claim.objects.filter(
        course_id=course_id, module_id=module_id, status=Claim.Status.ISSUED
    ).select_related("course", "module", "course__course_type"):
        claim_corrections_check(claim=claim)


@transaction.atomic
def payment_record(
    *,
    claim: Claim,
    enrolment: Enrolment,
    amount: Decimal,
    paid_on: date,
    method: str,
    by: User,
    reference: str = "",
) -> ContributionPayment:
    """Record a learner's payment of the own contribution for the claim's module: in part or in
    full, never more than is still open (no credit is kept), never for an exempt learner."""
    if enrolment.course_id != claim.course_id:
        raise BillingError(_("The learner is not in this course."), code="not_enrolled")
    if amount is None or amount <= 0:
        raise BillingError(
            _("The amount must be more than zero."), code="amount_invalid", field="amount"
        )
    if method not in ContributionPayment.Method.values:
        raise BillingError(_("Choose how it was paid."), code="method_invalid", field="method")
    if paid_on > timezone.localdate():
        raise BillingError(
            _("A payment cannot lie in the future."), code="paid_on_future", field="paid_on"
        )
    from billing.selectors.own_contributions import contributions_due

    claim = Claim.objects.select_related("course", "module").get(pk=claim.pk)
    row = next((r for r in contributions_due([claim]) if r.enrolment_id == enrolment.pk), None)
    if row is not None and row.exempt:
        raise BillingError(
            _("The learner is exempt from the own contribution for this module."),
            code="exempt",
        )
    if row is not None and amount > row.open:
        raise BillingError(
            _("The amount is more than what is still open (%(open)s €).") % {"open": row.open},
            code="amount_over_open",
            field="amount",
        )
    return ContributionPayment.objects.create(
        claim=claim,
        enrolment=enrolment,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=(reference or "").strip()[:60],
        recorded_by=by,
    )


@transaction.atomic
def bamf_payment_record(
    *, claim: Claim, amount: Decimal, paid_on: date, by: User, reference: str = ""
) -> BamfPayment:
    """Record what BAMF paid on an issued claim, from its payment notice (staff type it in; the
    revenue report sets it against what was billed). Only an issued claim is paid."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not claim.is_issued:
        raise ConflictError(
            _("BAMF pays only issued claims: issue the claim first."), code="claim_not_issued"
        )
    if amount is None or amount <= 0:
        raise BillingError(
            _("The amount must be more than zero."), code="amount_invalid", field="amount"
        )
    if claim.issued_at and paid_on < timezone.localdate(claim.issued_at):
        raise BillingError(
            _("BAMF cannot have paid before the claim was issued."),
            code="paid_on_before_issue",
            field="paid_on",
        )
    if paid_on > timezone.localdate():
        raise BillingError(
            _("A payment cannot lie in the future."), code="paid_on_future", field="paid_on"
        )
    return BamfPayment.objects.create(
        claim=claim,
        amount=amount,
        paid_on=paid_on,
        reference=(reference or "").strip()[:60],
        recorded_by=by,
    )


from billing.services.contributions import (  # noqa: E402  (the package's topics)
    ReminderSent,
    exemption_record,
    reminder_context,
    reminder_send,
    reminders_send,
)
from billing.services.fees import claim_fees_freeze, travel_application_record  # noqa: E402
from billing.services.figures import (  # noqa: E402
    course_figures_changed,
    figures_changed,
    learner_figures_changed,
)

__all__ = [
    "BillingError",
    "ReminderSent",
    "bamf_payment_record",
    "claim_corrections_check",
    "claim_fees_freeze",
    "claim_issue",
    "claim_open",
    "claim_refresh",
    "claims_affected",
    "course_figures_changed",
    "exemption_record",
    "figures_changed",
    "finding_acknowledge",
    "learner_figures_changed",
    "payment_record",
    "reminder_context",
    "reminder_send",
    "reminders_send",
    "travel_application_record",
]
