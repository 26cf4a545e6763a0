"""Absences: evidence kept by the provider (with its own retention) and the learners' own absence reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.models.register import AttendanceRecord, Code, evidence_decided_on
from core.retention import Retention
from people.models import Learner


def evidence_path(instance: AbsenceEvidence, filename: str) -> str:
    return f"attendance/evidence/{instance.record.enrolment_id}/{filename}"


class AbsenceEvidence(models.Model):
    """A document backing an absence (medical certificate, letter). Visible to staff only."""

    record = models.ForeignKey(
        AttendanceRecord,
        verbose_name=_("attendance record"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    is_medical_certificate = models.BooleanField(_("medical certificate"), default=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    retention = Retention(
        "absence_evidence",
        runs_from=evidence_decided_on,
        provider="record__session__course__provider",
        learner="record__enrolment__learner",
        course="record__session__course",
    )

    class Meta:
        verbose_name = _("absence evidence")
        verbose_name_plural = _("absence evidence")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.record_id} · {self.file.name}"


def report_evidence_path(instance: AbsenceReport, filename: str) -> str:
    return f"attendance/reports/{instance.learner_id}/{filename}"


class AbsenceReport(models.Model):
    """A learner's own notice of absence, for today or coming days.

    The teacher's register shows it; the provider's staff decide whether the days are excused (E)
    or unexcused (U), and the decision is written to the register through ``record_set``. The
    evidence file (a photo or PDF from the phone) is health data: only the provider's staff may
    open it (DESIGN.md §3).
    """

    class Reason(models.TextChoices):
        ILLNESS = "illness", _("Illness")
        SICK_CHILD = "sick_child", _("Sick child")
        AUTHORITY = "authority", _("Appointment with an authority")
        WORK = "work", _("Work")
        OTHER = "other", _("Other reason")

    class Decision(models.TextChoices):
        EXCUSED = Code.EXCUSED.value, _("excused")
        UNEXCUSED = Code.UNEXCUSED.value, _("unexcused")

    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="absence_reports",
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=report_evidence_path, blank=True)
    evidence_uploaded_at = models.DateTimeField(_("evidence uploaded at"), null=True, blank=True)
    certificate_needed = models.BooleanField(
        _("medical certificate needed"),
        default=False,
        help_text=_("Illness reaches the fourth course day in a row."),
    )
    decision = models.CharField(
        _("decision"), max_length=1, choices=Decision.choices, blank=True, default=""
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The learner's own notice and its evidence (health data): like absence evidence, it goes a
    # short while after the office decided the days (the decision itself lives in the register).
    retention = Retention(
        "absence_evidence",
        runs_from="decided_at",
        provider="learner__provider",
        learner="learner",
    )

    class Meta:
        verbose_name = _("absence report")
        verbose_name_plural = _("absence reports")
        ordering = ["-first_day", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")),
                name="absence_report_last_after_first",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["", "E", "U"]), name="absence_report_decision_valid"
            ),
        ]
        indexes = [models.Index(fields=["learner", "last_day"])]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.first_day:%d.%m.%Y}–{self.last_day:%d.%m.%Y}"

    def covers(self, day) -> bool:
        return self.first_day <= day <= self.last_day


#: The register's absence reason for each reported reason ("other" leaves it to the office).
REPORT_REASON_CATALOGUE: dict[str, str] = {
    AbsenceReport.Reason.ILLNESS: "illness",
    AbsenceReport.Reason.SICK_CHILD: "sick_child",
    AbsenceReport.Reason.AUTHORITY: "authority_appointment",
    AbsenceReport.Reason.WORK: "work",
}
