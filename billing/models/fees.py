"""Rule data beyond the UE rate: test fees (placement test, DTZ, LiD) and the travel subsidy, a
learner's application for the subsidy, and the test fees frozen on an issued claim."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models.claims import Claim
from core.retention import Retention
from people.models import Learner


class TestFee(models.Model):
    """What BAMF pays for a test held for a learner of the provider, from ``valid_from`` on."""

    __test__ = False  # not a pytest class

    class Kind(models.TextChoices):
        PLACEMENT = "placement", _("Placement test")
        DTZ = "dtz", _("German test for immigrants (DTZ)")
        LID = "lid", _("Life in Germany test")

    kind = models.CharField(_("test"), max_length=20, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"))
    amount = models.DecimalField(_("fee (€)"), max_digits=7, decimal_places=2)
    source = models.CharField(_("source"), max_length=300)

    personal_data = False

    class Meta:
        verbose_name = _("test fee")
        verbose_name_plural = _("test fees")
        ordering = ["kind", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "valid_from"], name="billing_testfee_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="billing_testfee_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.amount} € · {self.valid_from:%d.%m.%Y}"


class TravelSubsidyRule(models.Model):
    """Fahrtkostenzuschuss (IntV § 4a): a flat amount per course day counted (``codes``) for
    exempt learners living at least ``min_distance_km`` from the course, from ``valid_from`` on.
    ``starts`` says from when an application counts: from the next module beginning after it
    (BAMF's rule) or from the day it was recorded."""

    class Start(models.TextChoices):
        NEXT_MODULE = "next_module", _("from the next module after the application")
        DAY = "day", _("from the day the application was recorded")

    valid_from = models.DateField(_("valid from"), unique=True)
    amount_per_day = models.DecimalField(_("amount per day (€)"), max_digits=6, decimal_places=2)
    min_distance_km = models.DecimalField(
        _("minimum distance (km)"), max_digits=5, decimal_places=1
    )
    codes = models.CharField(
        _("register codes counted"),
        max_length=10,
        default="XPE",
        help_text=_(
            "The days with these register codes count (X present, P internship, E excused)."
        ),
    )
    starts = models.CharField(
        _("counted"), max_length=12, choices=Start.choices, default=Start.NEXT_MODULE
    )
    source = models.CharField(_("source"), max_length=300)

    personal_data = False

    class Meta:
        verbose_name = _("travel subsidy rule")
        verbose_name_plural = _("travel subsidy rules")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_per_day__gte=0) & Q(min_distance_km__gte=0),
                name="billing_travel_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount_per_day} € / day · ≥ {self.min_distance_km} km · {self.valid_from:%d.%m.%Y}"


class TravelSubsidyApplication(models.Model):
    """A learner's application for the travel subsidy as staff recorded it. It counts from the
    moment it was recorded (``recorded_at``), never earlier: there is no date to backdate."""

    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="travel_applications",
    )
    distance_km = models.DecimalField(
        _("walking distance to the course (km)"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0)],
    )
    evidence = models.CharField(_("evidence seen"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    # The basis of the claim's travel-subsidy figures: a billing record (5 years).
    retention = Retention(
        "attendance_records",
        runs_from="recorded_at",
        provider="learner__provider",
        learner="learner",
    )

    class Meta:
        verbose_name = _("travel subsidy application")
        verbose_name_plural = _("travel subsidy applications")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.distance_km} km · {self.recorded_at:%d.%m.%Y}"

    @property
    def recorded_on(self):
        return timezone.localdate(self.recorded_at)


class ClaimTestFee(models.Model):
    """A test fee on an issued claim, frozen with the rule version that produced it."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="test_fees"
    )
    kind = models.CharField(_("test"), max_length=20, choices=TestFee.Kind.choices)
    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    learner_name = models.CharField(_("learner"), max_length=201)
    taken_on = models.DateField(_("taken on"))
    rule = models.ForeignKey(
        TestFee, verbose_name=_("fee rule"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("fee (€)"), max_digits=7, decimal_places=2)

    retention = Retention(
        "attendance_records",
        follows="claim",
        provider="claim__course__provider",
        learner="learner",
        course="claim__course",
        anonymise={"learner_name": ""},
    )

    class Meta:
        verbose_name = _("test fee on a claim")
        verbose_name_plural = _("test fees on claims")
        ordering = ["claim", "taken_on", "learner_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "kind", "learner", "taken_on"], name="billing_claim_testfee_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.kind} · {self.learner_name}"
