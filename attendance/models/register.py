"""The register itself: BAMF codes, how a code was recorded, absence reasons and one row per learner per course day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
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


class CheckinFlag(models.TextChoices):
    """Why a QR check-in waits for the teacher's confirmation (a forwarded QR link)."""

    SHARED_DEVICE = "shared_device", _("from a phone that checked in another learner today")
    OUTSIDE_NETWORK = "outside_network", _("not from the classroom network")


#: The end of the course a register row belongs to (its last day; the start while unplanned).
COURSE_END = Coalesce("session__course__end_date", "session__course__start_date")


def evidence_decided_on():
    """When an absence's evidence is no longer needed: the day is signed (the absence decided)
    and its module is over (BAMF bills a module once it is finished). NULL until both."""
    module_end = (
        Session.objects.filter(
            course=OuterRef("record__session__course"), module=OuterRef("record__session__module")
        )
        .order_by("-date")
        .values("date")[:1]
    )
    return Case(
        When(record__session__signoff__isnull=True, then=Value(None)),
        default=Subquery(module_end),
    )


#: Methods by which the learner recorded themselves: these count only once the day is signed.
SELF_METHODS = (Method.SESSION_QR, Method.LEARNER_CARD)


class AbsenceReason(models.Model):
    """Catalogue of absence reasons (illness, sick child, authority appointment, work …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    default_code = models.CharField(
        _("default code"), max_length=1, choices=Code.choices, default=Code.EXCUSED
    )
    is_illness = models.BooleanField(
        _("illness"),
        default=False,
        help_text=_("Consecutive days with this reason count towards the medical certificate."),
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    personal_data = False

    class Meta:
        verbose_name = _("absence reason")
        verbose_name_plural = _("absence reasons")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_code__in=["X", "E", "U", "W", "P"]),
                name="absence_reason_code_valid",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The translated name (seeded reasons carry an English msgid, others their own name)."""
        return reason_label(self)


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
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    #: A QR check-in that may come from a forwarded link; the teacher's entry for the learner
    #: (confirming or changing the code) clears it, and the day cannot be signed before.
    flag = models.CharField(
        _("check-in to confirm"), max_length=20, choices=CheckinFlag.choices, blank=True
    )
    #: The random id of the phone that checked in (a signed cookie), to see one phone used for
    #: several learners; never shown, gone with the record.
    device = models.CharField(max_length=32, blank=True, editable=False)
    absence_reason = models.ForeignKey(
        AbsenceReason,
        verbose_name=_("absence reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    certificate_requested = models.BooleanField(
        _("medical certificate requested"),
        default=False,
        help_text=_("Set from the fourth consecutive course day of illness."),
    )

    # The BAMF register: 5 years after the end of the course, then anonymised (code, UE and the
    # way it was captured stay for the attendance figures). Check-in metadata goes after weeks.
    retention = (
        Retention(
            "attendance_records",
            runs_from=COURSE_END,
            provider="session__course__provider",
            learner="enrolment__learner",
            course="session__course",
            anonymise={
                "note": "",
                "recorded_by": None,
                "checked_in_at": None,
                "arrived_at": None,
                "left_at": None,
                "absence_reason": None,
                "certificate_requested": False,
            },
        ),
        Retention(
            "checkin_metadata",
            runs_from="checked_in_at",
            provider="session__course__provider",
            learner="enrolment__learner",
            course="session__course",
            anonymise={"checked_in_at": None},
        ),
    )

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


#: Translatable names of the seeded absence reasons (the table stores the English name).
REASON_LABELS = {
    "illness": _("Illness"),
    "sick_child": _("Sick child"),
    "authority_appointment": _("Appointment with an authority"),
    "work": _("Work"),
    "internship": _("Internship"),
    "trial_work": _("Trial work"),
    "family_emergency": _("Family emergency"),
    "other_excused": _("Other (excused)"),
    "unexcused": _("No reason given"),
}


def reason_label(reason: AbsenceReason | None) -> str:
    if reason is None:
        return ""
    return str(REASON_LABELS.get(reason.code, reason.name))
