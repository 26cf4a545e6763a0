from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    """When a recurring job (``core.schedule``) last ran, and for which period."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    last_period = models.CharField(_("last period"), max_length=40, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)

    personal_data = False

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
