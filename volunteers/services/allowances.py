"""Flat allowances and expenses.

A flat allowance is paid only with the volunteer's declaration for that year and allowance
(what other payers use of it, usually nothing). A payment that would take the year above the
limit in force for that year (``AllowanceLimit.for_year``: 840 € / 3,000 € until 2025,
960 € / 3,300 € from 2026) is refused with a warning until staff confirm it: the part above the
limit is taxable income. Expenses against receipts are kept apart and count towards no limit.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.errors import ConflictError
from people.models import User
from volunteers.models import (
    AllowanceDeclaration,
    AllowanceKind,
    AllowanceLimit,
    AllowancePayment,
    ExpenseReimbursement,
    Volunteer,
)
from volunteers.rules import AllowanceStanding
from volunteers.services.base import VolunteerError, today


class AllowanceLimitWarning(ConflictError):
    """The payment would exceed the year's limit; repeat it with confirmation to pay anyway."""


def _money(value: Decimal) -> str:
    """An amount as the reader writes it: 3.300,00 € in German, 3,300.00 € in English."""
    return number_format(value, 2, force_grouping=True) + "\u00a0€"


def payee_name(volunteer: Volunteer) -> str:
    """The name the accounting records keep (they outlive the volunteer's own record)."""
    user = volunteer.user
    return user.get_full_name() or user.get_username()


def _check_amount(amount: Decimal, field: str = "amount") -> None:
    if amount is None or amount <= 0:
        raise VolunteerError(_("Give an amount above 0 €."), code="amount_invalid", field=field)


@transaction.atomic
def allowance_declare(
    *,
    volunteer: Volunteer,
    year: int,
    kind: str,
    by: User,
    other_payers_amount: Decimal = Decimal("0.00"),
    declared_on: date | None = None,
) -> AllowanceDeclaration:
    """Record the volunteer's declaration for a year (replaces an earlier one for that year)."""
    if kind not in AllowanceKind.values:
        raise VolunteerError(_("Choose an allowance."), code="kind_required", field="kind")
    if other_payers_amount is None or other_payers_amount < 0:
        raise VolunteerError(
            _("The amount cannot be negative."), code="amount_invalid", field="other_payers_amount"
        )
    declaration, _created = AllowanceDeclaration.objects.update_or_create(
        volunteer=volunteer,
        year=year,
        kind=kind,
        defaults={
            "provider_id": volunteer.provider_id,
            "payee_name": payee_name(volunteer),
            "other_payers_amount": other_payers_amount,
            "declared_on": declared_on or today(),
            "recorded_by": by,
        },
    )
    return declaration


def allowance_standing(
    *, volunteer: Volunteer, kind: str, year: int, amount: Decimal = Decimal("0.00")
) -> AllowanceStanding | None:
    """Where the year stands for this allowance (None without a limit for the year)."""
    limit = AllowanceLimit.for_year(kind, year)
    if limit is None:
        return None
    declaration = AllowanceDeclaration.objects.filter(
        volunteer=volunteer, year=year, kind=kind
    ).first()
    paid = AllowancePayment.objects.filter(
        volunteer=volunteer, kind=kind, paid_on__year=year
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    other = declaration.other_payers_amount if declaration else Decimal("0.00")
    return AllowanceStanding(limit=limit.yearly_limit, used_before=paid + other, amount=amount)


@transaction.atomic
def allowance_pay(
    *,
    volunteer: Volunteer,
    kind: str,
    paid_on: date,
    amount: Decimal,
    by: User,
    note: str = "",
    confirm_over_limit: bool = False,
) -> AllowancePayment:
    """Record a flat allowance payment.

    The volunteer row is locked, so two payments cannot both pass the limit check. Refused
    without the year's declaration; warned (``allowance_limit_exceeded``) when it would take
    the year above its limit, until ``confirm_over_limit``.
    """
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if kind not in AllowanceKind.values:
        raise VolunteerError(_("Choose an allowance."), code="kind_required", field="kind")
    _check_amount(amount)
    year = paid_on.year
    if not AllowanceDeclaration.objects.filter(volunteer=volunteer, year=year, kind=kind).exists():
        raise VolunteerError(
            _(
                "The volunteer's declaration for %(year)s is missing: record what other payers "
                "use of this allowance (usually nothing) before paying."
            )
            % {"year": year},
            code="declaration_missing",
            field="kind",
        )
    standing = allowance_standing(volunteer=volunteer, kind=kind, year=year, amount=amount)
    if standing is None:
        raise VolunteerError(
            _("No limit is recorded for %(year)s.") % {"year": year},
            code="no_limit",
            field="paid_on",
        )
    if standing.exceeds and not confirm_over_limit:
        raise AllowanceLimitWarning(
            _(
                "This payment would bring %(kind)s in %(year)s to %(total)s, above the limit of "
                "%(limit)s (%(remaining)s left). Confirm to pay anyway: the part above the limit "
                "is taxable."
            )
            % {
                "kind": AllowanceKind(kind).label,
                "year": year,
                "total": _money(standing.total_after),
                "limit": _money(standing.limit),
                "remaining": _money(standing.remaining_before),
            },
            code="allowance_limit_exceeded",
            field="amount",
        )
    return AllowancePayment.objects.create(
        provider_id=volunteer.provider_id,
        volunteer=volunteer,
        payee_name=payee_name(volunteer),
        kind=kind,
        paid_on=paid_on,
        amount=amount,
        note=note,
        over_limit_confirmed=standing.exceeds,
        recorded_by=by,
    )


@transaction.atomic
def expense_record(
    *, volunteer: Volunteer, paid_on: date, amount: Decimal, purpose: str, by: User
) -> ExpenseReimbursement:
    """Expenses paid back against receipts: kept apart, no limit, no declaration."""
    _check_amount(amount)
    if not purpose.strip():
        raise VolunteerError(
            _("Say what the expense was for."), code="purpose_required", field="purpose"
        )
    return ExpenseReimbursement.objects.create(
        provider_id=volunteer.provider_id,
        volunteer=volunteer,
        payee_name=payee_name(volunteer),
        paid_on=paid_on,
        amount=amount,
        purpose=purpose.strip(),
        recorded_by=by,
    )
