"""The learner's private calendar feed: a secret URL that a phone's calendar subscribes to."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from people.models import Learner


class CalendarFeed(models.Model):
    """The secret token in the learner's calendar URL. The token is the credential (a phone's
    calendar cannot log in), so it is long and random; a reset replaces it and the old URL stops
    working. It is kept as it is, not hashed: the learner's page shows the URL again to copy,
    and it opens only the course days (no names, no attendance)."""

    learner = models.OneToOneField(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    # The secret calendar URL lives as long as the learner record, and goes with it.
    retention = Retention("learner_records", follows="learner", learner="learner")

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.created_at:%d.%m.%Y}"
