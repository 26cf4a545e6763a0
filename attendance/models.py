"""The BAMF attendance register: one code per enrolled learner per course day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Session
from enrolment.models import Enrolment


class Code(models.TextChoices):
    PRESENT = "X", _("present")
    EXCUSED = "E", _("excused")
    UNEXCUSED = "U", _("unexcused")
    CHANGED = "W", _("absent: change of course or provider")
    INTERNSHIP = "P", _("internship")


class Method(models.TextChoices):
    SESSION_QR = "session_qr", _("session QR")
    LEARNER_CARD = "card", _("learner card")
    TEACHER = "teacher", _("teacher")
    IMPORT = "import", _("import")
    INTERNSHIP = "internship", _("internship")
    STAFF = "staff", _("staff correction")


class AttendanceRecord(models.Model):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="attendance"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="attendance"
    )
    code = models.CharField(_("code"), max_length=1, choices=Code.choices)
    ue_attended = models.DecimalField(_("UE attended"), max_digits=4, decimal_places=2, default=0)
    arrived_at = models.TimeField(_("arrived (Kommt)"), null=True, blank=True)
    left_at = models.TimeField(_("left (Geht)"), null=True, blank=True)
    method = models.CharField(_("captured by"), max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"], name="attendance_one_per_session_enrolment"
            ),
            models.CheckConstraint(
                condition=Q(code__in=["X", "E", "U", "W", "P"]), name="attendance_code_valid"
            ),
            models.CheckConstraint(
                condition=Q(ue_attended__gte=0), name="attendance_ue_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "session"])]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.enrolment_id} · {self.code}"
