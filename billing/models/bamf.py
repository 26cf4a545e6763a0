"""What BAMF paid on an issued claim, as staff read it from the payment notice (the app does not
receive BAMF's payments itself): the revenue report sets it against what was billed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models.claims import Claim
from core.retention import Retention


class BamfPayment(models.Model):
    """A payment by BAMF on an issued claim (several when BAMF pays in parts or pays a
    correction later)."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="bamf_payments"
    )
    amount = models.DecimalField(_("amount (€)"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    # A payment received: accounting records are kept 10 years after the end of the year (AO, HGB).
    retention = Retention(
        "accounting_records",
        runs_from="paid_on",
        provider="claim__course__provider",
        course="claim__course",
    )

    class Meta:
        verbose_name = _("BAMF payment")
        verbose_name_plural = _("BAMF payments")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_bamf_payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.amount} € · {self.paid_on:%d.%m.%Y}"
