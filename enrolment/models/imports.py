"""Learner imports: a file read into a plan, then applied."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from people.models import Organisation


class LearnerImport(models.Model):
    """An uploaded learner file waiting for the staff's confirmation after the dry run."""

    provider = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("provider")
    )
    file_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=10)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    # The uploaded file lists many learners: it goes soon after the import.
    retention = Retention("working_files", runs_from="created_at", provider="provider")

    class Meta:
        verbose_name = _("learner import")
        verbose_name_plural = _("learner imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name
