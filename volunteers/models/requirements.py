"""Requirements per role as dated rule data, what each volunteer has fulfilled, and the one
thing kept of an extended certificate of conduct: that it was inspected, when, by whom, and
the result — never the document."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from volunteers.models.profiles import Volunteer
from volunteers.models.retention import conduct_check_anchor


class RequirementKind(models.TextChoices):
    CONDUCT_CERTIFICATE = "conduct_certificate", _("Extended certificate of conduct")
    PLEDGE = "pledge", _("Written pledge")
    TRAINING = "training", _("Training")


class RequirementRuleQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> RequirementRuleQuerySet:
        """The rule version in force on ``on`` for each code (latest valid_from not after it)."""
        on = on or timezone.localdate()
        newer = RequirementRule.objects.filter(
            code=OuterRef("code"), valid_from__lte=on, valid_from__gt=OuterRef("valid_from")
        )
        return self.filter(valid_from__lte=on).exclude(Exists(newer))


class RequirementRule(models.Model):
    """A requirement as the rules define it from ``valid_from`` on; a change is a new row.

    ``roles`` lists the volunteer roles that need it; ``validity_months`` how long a fulfilment
    counts (empty: it does not expire); ``source`` where the rule comes from.
    """

    personal_data = False

    code = models.SlugField(_("code"), max_length=40)
    valid_from = models.DateField(_("valid from"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=RequirementKind.choices)
    roles = models.JSONField(_("roles that need it"), default=list)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True, help_text=_("Empty: does not expire.")
    )
    source = models.TextField(_("source"), blank=True)

    objects = RequirementRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("requirement rule")
        verbose_name_plural = _("requirement rules")
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="requirement_rule_unique_version"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ConductCheck(models.Model):
    """An inspection of an extended certificate of conduct (erweitertes Führungszeugnis).

    Only what § 72a (5) SGB VIII lets a provider keep, and less: the day it was inspected, by
    whom, and whether it shows a relevant conviction. The document itself is never stored or
    uploaded. Deleted by the retention job six months after the volunteer's last activity.
    """

    retention = Retention(
        "certificate_of_conduct",
        runs_from=conduct_check_anchor,
        provider="volunteer__provider",
    )

    class Result(models.TextChoices):
        CLEAR = "clear", _("No relevant entry")
        RELEVANT_ENTRY = "relevant_entry", _("Relevant entry: may not work with this group")

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="conduct_checks"
    )
    inspected_on = models.DateField(_("inspected on"))
    inspected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspected by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: Kept as written when the inspecting user account is later removed.
    inspected_by_name = models.CharField(_("inspected by (name)"), max_length=200)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate of conduct inspection")
        verbose_name_plural = _("certificate of conduct inspections")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.inspected_on:%d.%m.%Y} · {self.get_result_display()}"


class RequirementRecord(models.Model):
    """A volunteer fulfilled a requirement on a day; it counts until ``expires_on`` (if any).

    For a certificate of conduct the record points to its inspection and goes with it.
    """

    retention = Retention("volunteer_records", follows="volunteer")

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="requirement_records"
    )
    code = models.SlugField(_("requirement"), max_length=40)
    fulfilled_on = models.DateField(_("fulfilled on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    conduct_check = models.OneToOneField(
        ConductCheck,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="requirement_record",
    )
    training_course = models.ForeignKey(
        "courses.Course",
        verbose_name=_("training course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    #: The expiry reminder went out (to volunteer and staff); cleared by a new record.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("fulfilled requirement")
        verbose_name_plural = _("fulfilled requirements")
        ordering = ["volunteer", "code", "-fulfilled_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("fulfilled_on")),
                name="requirement_record_expires_after_fulfilment",
            )
        ]
        indexes = [models.Index(fields=["code", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.code} · {self.fulfilled_on:%d.%m.%Y}"
