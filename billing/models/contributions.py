"""Reminders of an overdue own contribution: one row per learner, module and reminder step, so
a step is sent at most once and staff see who was reminded when."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models.claims import Claim
from core.retention import Retention
from enrolment.models import Enrolment


class ContributionReminder(models.Model):
    """A reminder sent (e-mail) or to be printed and posted (letter) for step ``step`` of an
    overdue own contribution: what was open and due on which day, in which language."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter (print and post)")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="reminders"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="+"
    )
    step = models.PositiveSmallIntegerField(_("reminder step"))
    due_on = models.DateField(_("due on"))
    open_amount = models.DecimalField(_("open amount (€)"), max_digits=8, decimal_places=2)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("reminded at"), default=timezone.now)

    # Part of the accounting of the own contribution (10 years, AO/HGB), like the payments.
    retention = Retention(
        "accounting_records",
        runs_from="created_at",
        provider="claim__course__provider",
        learner="enrolment__learner",
        course="claim__course",
    )

    class Meta:
        verbose_name = _("own contribution reminder")
        verbose_name_plural = _("own contribution reminders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "enrolment", "step"], name="billing_reminder_once_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.enrolment_id} · {self.step}"
