"""Personal learner cards for check-in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from people.models import Learner


class LearnerCardQuerySet(models.QuerySet):
    def active(self) -> LearnerCardQuerySet:
        return self.filter(revoked_at__isnull=True)


class LearnerCard(models.Model):
    """A printable card with a personal QR; revoked cards are refused, a reissue makes a new one."""

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="cards"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LearnerCardQuerySet.as_manager()

    # Token data: a revoked card goes weeks after revocation; an active one with the learner.
    retention = (
        Retention(
            "checkin_metadata",
            runs_from="revoked_at",
            provider="learner__provider",
            learner="learner",
            where=Q(revoked_at__isnull=False),
        ),
        Retention("checkin_metadata", follows="learner", learner="learner"),
    )

    class Meta:
        verbose_name = _("learner card")
        verbose_name_plural = _("learner cards")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner"],
                condition=Q(revoked_at__isnull=True),
                name="learner_card_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.issued_at:%d.%m.%Y}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def qr_content(self) -> str:
        return f"LBCARD:{self.token}"
