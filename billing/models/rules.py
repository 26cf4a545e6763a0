"""Rule data of billing, dated like the course rules: rates per UE with group-size tiers, own contribution, billable codes, exemption grounds, and a learner's exemption with its validity."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from courses.models import Programme
from people.models import Learner

CLAIM_COURSE_END = Coalesce("course__end_date", "course__start_date")


class ReimbursementRate(models.Model):
    """Kostenerstattungssatz: what BAMF pays the provider per UE per learner, from ``valid_from``
    on, for groups of ``min_group_size``–``max_group_size`` learners (a tier; no upper bound when
    empty). The tiers of one version share its ``valid_from``."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Only courses of this programme (all when empty)."),
    )
    valid_from = models.DateField(_("valid from"))
    min_group_size = models.PositiveSmallIntegerField(
        _("from group size"), default=1, validators=[MinValueValidator(1)]
    )
    max_group_size = models.PositiveSmallIntegerField(_("up to group size"), null=True, blank=True)
    amount = models.DecimalField(_("amount per UE (€)"), max_digits=6, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)

    personal_data = False

    class Meta:
        verbose_name = _("reimbursement rate")
        verbose_name_plural = _("reimbursement rates")
        ordering = ["-valid_from", "min_group_size"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "valid_from", "min_group_size"],
                name="billing_rate_unique_tier",
            ),
            models.CheckConstraint(
                condition=Q(max_group_size__isnull=True)
                | Q(max_group_size__gte=models.F("min_group_size")),
                name="billing_rate_tier_order",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="billing_rate_not_negative"),
        ]

    def __str__(self) -> str:
        upper = self.max_group_size or "∞"
        return f"{self.amount} € / UE · {self.min_group_size}–{upper} · {self.valid_from:%d.%m.%Y}"


class OwnContribution(models.Model):
    """Kostenbeitrag: what a learner who is not exempt pays per UE, from ``valid_from`` on."""

    class Basis(models.TextChoices):
        HELD = "held", _("UE held while enrolled")
        BILLABLE = "billable", _("billable UE")

    valid_from = models.DateField(_("valid from"), unique=True)
    amount = models.DecimalField(_("amount per UE (€)"), max_digits=6, decimal_places=2)
    basis = models.CharField(
        _("counted on"), max_length=10, choices=Basis.choices, default=Basis.HELD
    )
    source = models.CharField(_("source"), max_length=300)

    personal_data = False

    class Meta:
        verbose_name = _("own contribution")
        verbose_name_plural = _("own contributions")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="billing_contribution_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} € / UE · {self.valid_from:%d.%m.%Y}"


class BillableCode(models.Model):
    """Whether UE with a register code are billed, from ``valid_from`` on, and which UE count:
    those the register shows attended (X, P: less late arrival) or the whole day (E)."""

    class Basis(models.TextChoices):
        ATTENDED = "attended", _("UE attended as recorded")
        DAY = "day", _("all UE of the day")

    code = models.CharField(_("register code"), max_length=1)
    valid_from = models.DateField(_("valid from"))
    billable = models.BooleanField(_("billable"))
    basis = models.CharField(
        _("UE counted"), max_length=10, choices=Basis.choices, default=Basis.ATTENDED
    )
    source = models.CharField(_("source"), max_length=300)

    personal_data = False

    class Meta:
        verbose_name = _("billable register code")
        verbose_name_plural = _("billable register codes")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="billing_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.valid_from:%d.%m.%Y}"


#: Translatable names of the seeded exemption grounds (the table stores the German name).
GROUND_LABELS = {
    "buergergeld": _("Citizen's income (Bürgergeld, SGB II)"),
    "social_assistance": _("Social assistance (SGB XII)"),
    "asylum_benefits": _("Asylum seekers' benefits (AsylbLG)"),
    "hardship": _("Undue hardship (BAMF decision)"),
}


class ExemptionGround(models.Model):
    """A ground on which a learner is exempt from the own contribution (Bürgergeld …)."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    travel_subsidy = models.BooleanField(
        _("travel subsidy possible"),
        default=True,
        help_text=_("Exempt learners on this ground may receive the travel subsidy."),
    )
    source = models.CharField(_("source"), max_length=300)

    personal_data = False

    class Meta:
        verbose_name = _("exemption ground")
        verbose_name_plural = _("exemption grounds")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="billing_ground_unique")
        ]

    def __str__(self) -> str:
        return str(GROUND_LABELS.get(self.code, self.name))


class FeeExemption(models.Model):
    """A learner's exemption from the own contribution, on a ground, with its validity (the
    evidence seen: a Bürgergeld notice, for example, is valid for its approval period)."""

    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="fee_exemptions",
    )
    ground = models.ForeignKey(
        ExemptionGround, verbose_name=_("ground"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    evidence = models.CharField(
        _("evidence seen"),
        max_length=200,
        blank=True,
        help_text=_("Which document was seen (no copy is kept)."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    # The basis of a claim's own-contribution figures: a billing record (5 years).
    retention = Retention(
        "attendance_records",
        runs_from="valid_until",
        provider="learner__provider",
        learner="learner",
    )

    class Meta:
        verbose_name = _("fee exemption")
        verbose_name_plural = _("fee exemptions")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="billing_exemption_until_after_from",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.ground} · {self.valid_from:%d.%m.%Y}"
