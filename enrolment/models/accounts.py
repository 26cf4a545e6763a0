"""Login codes: how a learner without a password logs in (printed on paper)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from people.models import Learner


class LoginCode(models.Model):
    """A printed one-time code (with QR) that logs a learner's phone in. Only its hash is stored."""

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="login_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    retention = Retention(
        "login_codes", runs_from="expires_at", provider="learner__provider", learner="learner"
    )

    class Meta:
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.learner} · {self.created_at:%d.%m.%Y}"
