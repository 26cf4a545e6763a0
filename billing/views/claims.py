"""Staff pages of billing: the modules with their claim status, the claim, its documents.

Only the provider's staff: everyone else (another provider's staff, teachers, learners) gets 404.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from billing import services
from billing.access import billing_courses, claim_for_staff, finding_for_staff
from billing.documents import billing_print_job
from billing.models import GROUND_LABELS, Claim, ContributionPayment
from billing.selectors import (
    ClaimTable,
    claim_findings,
    claim_table,
    module_rows,
    todo_for,
)
from billing.selectors.fees import claim_test_fees, fees_total
from billing.selectors.own_contributions import contributions_due
from core.errors import DomainError
from core.spreadsheets import workbook_bytes
from courses.models import Module
from enrolment.models import Enrolment
from people.models import Role


def _staff_only(request: HttpRequest) -> None:
    if not request.user.provider_ids(role=Role.STAFF):
        raise Http404


@login_required
def home(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    rows = module_rows(courses=billing_courses(user=request.user))
    return render(request, "billing/home.html", {"rows": rows})


@login_required
@require_POST
def claim_open(request: HttpRequest, course_pk: int, module_pk: int) -> HttpResponse:
    _staff_only(request)
    course = get_object_or_404(billing_courses(user=request.user), pk=course_pk)
    module = get_object_or_404(Module.objects.filter(course_type=course.course_type), pk=module_pk)
    claim = services.claim_open(course=course, module=module)
    return redirect("billing-claim", pk=claim.pk)


def _ground_label(code: str) -> str:
    if not code:
        return ""
    if code == "fee_exempt":
        return _("exempt (no ground recorded)")
    return str(GROUND_LABELS.get(code, code))


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_for_staff(user=request.user, pk=pk)
    computed = None
    try:
        if claim.is_issued:
            services.claim_corrections_check(claim=claim)
            table = claim_table(claim)
        else:
            computed = services.claim_refresh(claim=claim)
            table = claim_table(claim, computed)
    except DomainError as exc:  # no rule in force for the module's days, for example
        messages.error(request, exc.message)
        table = ClaimTable([])
    findings = claim_findings(claim)
    try:
        due = contributions_due([claim])
        fees = claim_test_fees(claim)
    except DomainError as exc:
        messages.error(request, exc.message)
        due, fees = [], []
    payments: dict[int, list[ContributionPayment]] = {}
    for payment in claim.payments.order_by("paid_on", "pk"):
        payments.setdefault(payment.enrolment_id, []).append(payment)
    return render(
        request,
        "billing/claim.html",
        {
            "claim": claim,
            "table": table,
            "finished": claim.is_issued or (computed is not None and computed.finished),
            "findings": [(f, todo_for(f.kind)) for f in findings],
            "open_findings": sum(1 for f in findings if not f.acknowledged),
            "corrections": list(claim.corrections.all()),
            "contributions": [(row, payments.get(row.enrolment_id, [])) for row in due],
            "test_fees": fees,
            "payment_methods": ContributionPayment.Method.choices,
            "today": timezone.localdate(),
            "ground_label": _ground_label,
        },
    )


@login_required
@require_POST
def finding_acknowledge(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    claim = claim_for_staff(user=request.user, pk=pk)
    finding = finding_for_staff(user=request.user, claim=claim, pk=finding_pk)
    try:
        services.finding_acknowledge(
            finding=finding, by=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("billing-claim", pk=claim.pk)


@login_required
@require_POST
def payment_record(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_for_staff(user=request.user, pk=pk)
    enrolment = get_object_or_404(
        Enrolment.objects.filter(course=claim.course), pk=request.POST.get("enrolment") or 0
    )
    try:
        amount = Decimal((request.POST.get("amount") or "").replace(",", "."))
    except InvalidOperation:
        amount = Decimal(0)
    try:
        paid_on = parse_date(request.POST.get("paid_on") or "") or timezone.localdate()
    except ValueError:
        paid_on = timezone.localdate()
    try:
        services.payment_record(
            claim=claim,
            enrolment=enrolment,
            amount=amount,
            paid_on=paid_on,
            method=request.POST.get("method", ""),
            reference=request.POST.get("reference", ""),
            by=request.user,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The payment is recorded."))
    return redirect("billing-claim", pk=claim.pk)


@login_required
@require_POST
def claim_issue(request: HttpRequest, pk: int) -> HttpResponse:
    claim = claim_for_staff(user=request.user, pk=pk)
    try:
        services.claim_issue(claim=claim, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The claim is issued; its figures are frozen."))
    return redirect("billing-claim", pk=claim.pk)


def _table(claim: Claim) -> ClaimTable:
    return claim_table(claim)


def _filename(claim: Claim, ext: str) -> str:
    number = "".join(ch if ch.isalnum() else "-" for ch in claim.course.bamf_course_number)
    return f"abrechnung-{number or claim.course_id}-{claim.module.order}.{ext}"


@login_required
def claim_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The claim for the provider's accounting, one row per line, formula-safe."""
    import pandas as pd  # loaded where a frame is made, not with the URLs

    claim = claim_for_staff(user=request.user, pk=pk)
    try:
        table = _table(claim)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("billing-claim", pk=claim.pk)
    fees = claim_test_fees(claim)
    lines = pd.DataFrame(
        [
            {
                _("Learner"): row.learner,
                _("BAMF participant number"): row.bamf_number,
                _("From"): row.period_from,
                _("Until"): row.period_to,
                _("UE held"): row.ue_held,
                _("UE attended"): float(row.ue_attended),
                _("Billable UE"): float(row.billable_ue),
                _("Rate per UE (€)"): float(row.rate),
                _("Reimbursement (€)"): float(row.reimbursement),
                _("Own contribution (€)"): float(row.own_contribution),
                _("Exemption"): _ground_label(row.exemption_ground),
                _("Travel subsidy days"): row.travel_days,
                _("Travel subsidy (€)"): float(row.travel_subsidy),
            }
            for row in table.rows
        ],
        columns=[
            _("Learner"),
            _("BAMF participant number"),
            _("From"),
            _("Until"),
            _("UE held"),
            _("UE attended"),
            _("Billable UE"),
            _("Rate per UE (€)"),
            _("Reimbursement (€)"),
            _("Own contribution (€)"),
            _("Exemption"),
            _("Travel subsidy days"),
            _("Travel subsidy (€)"),
        ],
    )
    fee_frame = pd.DataFrame(
        [
            {
                _("Test"): fee.kind_label,
                _("Learner"): fee.learner,
                _("Day"): fee.taken_on,
                _("Fee (€)"): float(fee.amount) if fee.amount is not None else None,
                _("Rule valid from"): fee.rule.valid_from if fee.rule else None,
                _("Rule source"): fee.rule.source if fee.rule else _("no fee rule in force"),
            }
            for fee in fees
        ],
        columns=[
            _("Test"),
            _("Learner"),
            _("Day"),
            _("Fee (€)"),
            _("Rule valid from"),
            _("Rule source"),
        ],
    )
    totals = pd.DataFrame(
        [
            {_("Item"): label, _("Amount"): float(value)}
            for label, value in (
                (_("Billable UE"), table.billable_ue),
                (_("Reimbursement (€)"), table.reimbursement),
                (_("Own contributions (€)"), table.own_contribution),
                (_("Travel subsidy days"), table.travel_days),
                (_("Travel subsidy (€)"), table.travel_subsidy),
                (_("Test fees (€)"), fees_total(fees)),
            )
        ],
        columns=[_("Item"), _("Amount")],
    )
    response = HttpResponse(
        workbook_bytes({_("Claim"): lines, _("Test fees"): fee_frame, _("Totals"): totals}),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(claim, "xlsx")}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def claim_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The billing list of the module, laid out like the BAMF form's learner list, with the
    module's attendance list after it: one print job."""
    claim = claim_for_staff(user=request.user, pk=pk)
    try:
        table = _table(claim)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("billing-claim", pk=claim.pk)
    data = billing_print_job(claim, table, fees=claim_test_fees(claim), ground_label=_ground_label)
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_filename(claim, "pdf")}"'
    response["Cache-Control"] = "private, no-store"
    return response
