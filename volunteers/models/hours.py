"""Volunteer hours (from shift check-ins, tandem meetings or entered by staff), approved by
staff; the yearly proof of volunteering (a verifiable document of the certificates app)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from volunteers.models.activities import Activity, ShiftAssignment
from volunteers.models.profiles import Volunteer
from volunteers.models.tandems import TandemMeeting


class HoursEntry(models.Model):
    retention = Retention("volunteer_hours", runs_from="date", provider="volunteer__provider")

    class Source(models.TextChoices):
        SHIFT = "shift", _("Shift")
        TANDEM = "tandem", _("Language buddy meeting")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="hours")
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hours",
    )
    shift_assignment = models.OneToOneField(
        ShiftAssignment, null=True, blank=True, on_delete=models.CASCADE, related_name="hours"
    )
    tandem_meeting = models.OneToOneField(
        TandemMeeting, null=True, blank=True, on_delete=models.CASCADE, related_name="hours"
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reject_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gte=1), name="hours_positive"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reject_reason=""),
                name="hours_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["volunteer", "date"]), models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.volunteer_id} · {self.date:%d.%m.%Y} · {self.minutes} min"

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


class VolunteeringProof(models.Model):
    """A proof of volunteering for one year, issued as a verifiable document."""

    #: The link goes with the volunteer; the issued document itself is kept by the
    #: certificates app (issued documents), so a proof shown to someone can still be verified.
    retention = Retention("volunteer_records", follows="volunteer")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="proofs")
    year = models.PositiveSmallIntegerField(_("year"))
    document = models.OneToOneField(
        "certificates.Document", on_delete=models.PROTECT, related_name="volunteering_proof"
    )

    class Meta:
        verbose_name = _("proof of volunteering")
        verbose_name_plural = _("proofs of volunteering")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.year}"
