"""Flat allowances (Ehrenamtspauschale, Übungsleiterpauschale) with their yearly limits as dated
rule data, the volunteer's declaration per year, and expenses kept apart from allowances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from people.models import Organisation
from volunteers.models.profiles import Volunteer


class AllowanceKind(models.TextChoices):
    VOLUNTEER = "ehrenamt", _("Volunteer allowance (Ehrenamtspauschale)")
    TRAINER = "uebungsleiter", _("Trainer allowance (Übungsleiterpauschale)")


class AllowanceLimit(models.Model):
    """The tax-free yearly amount of one allowance from ``valid_from`` on (a change: a new row)."""

    personal_data = False

    kind = models.CharField(_("allowance"), max_length=20, choices=AllowanceKind.choices)
    valid_from = models.DateField(_("valid from"))
    yearly_limit = models.DecimalField(_("yearly limit (€)"), max_digits=8, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("allowance limit")
        verbose_name_plural = _("allowance limits")
        ordering = ["kind", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="allowance_limit_version")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.valid_from:%Y}: {self.yearly_limit} €"

    @classmethod
    def for_year(cls, kind: str, year: int) -> AllowanceLimit | None:
        """The limit of ``year``: the rule in force on 31 December (the allowance is a yearly
        amount; a rise enacted for a year applies to the whole of it)."""
        return (
            cls.objects.filter(kind=kind, valid_from__lte=date(year, 12, 31))
            .order_by("-valid_from")
            .first()
        )


class AllowanceDeclaration(models.Model):
    """The volunteer declares, for one year and allowance, what other payers already use of it
    (usually nothing): without it no allowance is paid."""

    retention = Retention("accounting_records", runs_from="declared_on", provider="provider")

    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    volunteer = models.ForeignKey(
        Volunteer,
        null=True,
        on_delete=models.SET_NULL,
        related_name="allowance_declarations",
    )
    #: Kept with the accounting records after the volunteer's own record is gone.
    payee_name = models.CharField(_("name"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("allowance"), max_length=20, choices=AllowanceKind.choices)
    declared_on = models.DateField(_("declared on"))
    other_payers_amount = models.DecimalField(
        _("used with other payers (€)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("0 when no other payer uses this allowance in the year."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("allowance declaration")
        verbose_name_plural = _("allowance declarations")
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "year", "kind"], name="allowance_declaration_once"
            ),
            models.CheckConstraint(
                condition=Q(other_payers_amount__gte=0), name="allowance_declaration_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.year} · {self.get_kind_display()}"


class AllowancePayment(models.Model):
    """A flat allowance paid: an accounting record (kept ten years after the year, § 147 AO),
    with the payee's name, so it outlives the volunteer's own record."""

    retention = Retention("accounting_records", runs_from="paid_on", provider="provider")

    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    volunteer = models.ForeignKey(
        Volunteer, null=True, on_delete=models.SET_NULL, related_name="allowance_payments"
    )
    payee_name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("allowance"), max_length=20, choices=AllowanceKind.choices)
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (€)"), max_digits=8, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    #: Staff paid although the payment takes the year above the limit (the excess is taxable).
    over_limit_confirmed = models.BooleanField(default=False, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("allowance payment")
        verbose_name_plural = _("allowance payments")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allowance_payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.paid_on:%d.%m.%Y} · {self.amount} €"


class ExpenseReimbursement(models.Model):
    """Expenses paid back against receipts (tickets, material): not an allowance, no limit."""

    retention = Retention("accounting_records", runs_from="paid_on", provider="provider")

    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    volunteer = models.ForeignKey(
        Volunteer, null=True, on_delete=models.SET_NULL, related_name="expenses"
    )
    payee_name = models.CharField(_("name"), max_length=300)
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount (€)"), max_digits=8, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expense reimbursement")
        verbose_name_plural = _("expense reimbursements")
        ordering = ["-paid_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_positive")]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.paid_on:%d.%m.%Y} · {self.amount} €"
