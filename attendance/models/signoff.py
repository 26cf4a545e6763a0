"""The teacher's sign-off that locks a day, and staff corrections after the lock."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models.register import COURSE_END, AttendanceRecord
from core.retention import Retention
from courses.models import Session


class SessionSignOff(models.Model):
    """The teacher signed the day's register: from now on the day is locked."""

    session = models.OneToOneField(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="signoff"
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    # Part of the register; anonymised with it (the teacher's name goes, the fact of the signature stays).
    retention = Retention(
        "attendance_records",
        runs_from=COURSE_END,
        provider="session__course__provider",
        course="session__course",
        anonymise={"signed_by": None},
    )

    class Meta:
        verbose_name = _("signed course day")
        verbose_name_plural = _("signed course days")

    def __str__(self) -> str:
        return f"{self.session_id} · {self.signed_at:%d.%m.%Y %H:%M}"


class AttendanceCorrection(models.Model):
    """A change to a locked day: who, when, old value, new value and why."""

    record = models.ForeignKey(
        AttendanceRecord,
        verbose_name=_("attendance record"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    old = models.JSONField(_("old value"), default=dict)
    new = models.JSONField(_("new value"), default=dict)
    reason = models.TextField(_("reason"))

    # The history of a register row (old and new values, reasons): goes when the row is anonymised.
    retention = Retention(
        "attendance_records",
        follows="record",
        learner="record__enrolment__learner",
        provider="record__session__course__provider",
        course="record__session__course",
    )

    class Meta:
        verbose_name = _("attendance correction")
        verbose_name_plural = _("attendance corrections")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="correction_reason_required")
        ]

    def __str__(self) -> str:
        return f"{self.record_id} · {self.changed_at:%d.%m.%Y %H:%M}"
