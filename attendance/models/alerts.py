"""Alert rules and the alerts they raise, and the words for an absence reason."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from courses.models import Programme
from enrolment.models import Enrolment
from people.models import Entitlement, Organisation


class AlertRule(models.Model):
    """When to raise an attendance alert; the threshold is data, per programme and authority."""

    class Kind(models.TextChoices):
        RATE_BELOW = "rate_below", _("attendance rate below threshold")
        CONSECUTIVE_UNEXCUSED = "consecutive_unexcused", _("consecutive unexcused days")

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="attendance_alert_rules",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    threshold_percent = models.PositiveSmallIntegerField(
        _("threshold (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("For rate rules: alert when the rate falls below this."),
    )
    min_ue_held = models.PositiveSmallIntegerField(
        _("minimum UE held"),
        default=20,
        help_text=_("For rate rules: no alert before this many UE were held."),
    )
    consecutive_days = models.PositiveSmallIntegerField(
        _("consecutive days"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For consecutive-day rules: alert from this many unexcused days in a row."),
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only courses of this programme (all when empty)."),
    )
    obliging_authority = models.CharField(
        _("obliging authority"),
        max_length=20,
        choices=Entitlement.Authority.choices,
        blank=True,
        help_text=_("Only learners obliged by this authority (all learners when empty)."),
    )
    active = models.BooleanField(_("active"), default=True)

    personal_data = False

    class Meta:
        verbose_name = _("attendance alert rule")
        verbose_name_plural = _("attendance alert rules")
        ordering = ["provider", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="rate_below") | Q(threshold_percent__isnull=False),
                name="alert_rule_rate_has_threshold",
            ),
            models.CheckConstraint(
                condition=~Q(kind="consecutive_unexcused") | Q(consecutive_days__isnull=False),
                name="alert_rule_consecutive_has_days",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """One incident of a rule for one enrolment, with the dates that caused it."""

    rule = models.ForeignKey(
        AlertRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="alerts"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="alerts"
    )
    incident_key = models.CharField(_("incident"), max_length=40)
    dates = models.JSONField(_("dates"), default=list)
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4, null=True, blank=True)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    notified_authority = models.BooleanField(_("authority notified"), default=False)

    retention = Retention(
        "attendance_alerts",
        runs_from=Coalesce("enrolment__course__end_date", "enrolment__course__start_date"),
        provider="enrolment__course__provider",
        learner="enrolment__learner",
        course="enrolment__course",
    )

    class Meta:
        verbose_name = _("attendance alert")
        verbose_name_plural = _("attendance alerts")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "enrolment", "incident_key"], name="alert_once_per_incident"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.enrolment_id} · {self.incident_key}"
