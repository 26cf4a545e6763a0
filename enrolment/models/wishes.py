"""Wishes: a place on the waiting list that several courses of a type and level can satisfy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from courses.models import CourseType, Level
from people.models import Learner, Location


class WaitlistWish(models.Model):
    """Waiting for any course that fits: type, level or module, locations, times, childcare."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Waiting")
        OFFERED = "offered", _("Offered a place")
        FULFILLED = "fulfilled", _("Placed")
        CANCELLED = "cancelled", _("Cancelled")

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="wishes"
    )
    course_type = models.ForeignKey(
        CourseType,
        verbose_name=_("course type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    level = models.CharField(_("level"), max_length=4, choices=Level.choices, blank=True)
    module_order = models.PositiveSmallIntegerField(_("module number"), null=True, blank=True)
    locations = models.ManyToManyField(
        Location, verbose_name=_("locations"), blank=True, related_name="+"
    )
    times_of_day = models.JSONField(
        _("times of day"), default=list, blank=True, help_text=_("Empty means any time.")
    )
    needs_childcare = models.BooleanField(_("needs childcare"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    passed_course_ids = models.JSONField(
        default=list, blank=True, help_text=_("Courses whose offer was declined or expired.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # A wish still waiting is not due; a placed or cancelled one runs from its creation.
    retention = Retention(
        "learner_records",
        runs_from=Case(
            When(status__in=["active", "offered"], then=Value(None)),
            default="created_at",
        ),
        provider="learner__provider",
        learner="learner",
    )

    class Meta:
        verbose_name = _("waiting-list wish")
        verbose_name_plural = _("waiting-list wishes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.learner} · {self.course_type or self.level}"
