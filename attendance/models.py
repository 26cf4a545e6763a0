"""The BAMF attendance register: one code per enrolled learner per course day.

Around it: the absence-reason catalogue and evidence, the teacher's sign-off that locks a day,
staff corrections after the lock, learner cards for check-in, and alert rules with their alerts.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from courses.models import Programme, Session
from enrolment.models import Enrolment
from people.models import Entitlement, Learner, Organisation


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
REPORT_REASON_CATALOGUE = {
    AbsenceReport.Reason.ILLNESS: "illness",
    AbsenceReport.Reason.SICK_CHILD: "sick_child",
    AbsenceReport.Reason.AUTHORITY: "authority_appointment",
    AbsenceReport.Reason.WORK: "work",
}


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


class LearnerCardQuerySet(models.QuerySet):
    def active(self) -> LearnerCardQuerySet:
        return self.filter(revoked_at__isnull=True)


class LearnerCard(models.Model):
    """A printable card with a personal QR; revoked cards are refused, a reissue makes a new one."""

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="cards"
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LearnerCardQuerySet.as_manager()

    # Token data: a revoked card goes weeks after revocation; an active one with the learner.
    retention = (
        Retention(
            "checkin_metadata",
            runs_from="revoked_at",
            provider="learner__provider",
            learner="learner",
            where=Q(revoked_at__isnull=False),
        ),
        Retention("checkin_metadata", follows="learner", learner="learner"),
    )

    class Meta:
        verbose_name = _("learner card")
        verbose_name_plural = _("learner cards")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner"],
                condition=Q(revoked_at__isnull=True),
                name="learner_card_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.issued_at:%d.%m.%Y}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def qr_content(self) -> str:
        return f"LBCARD:{self.token}"


class AlertRule(models.Model):
    """When to raise an attendance alert; the threshold is data, per programme and authority."""

    class Kind(models.TextChoices):
        RATE_BELOW = "rate_below", _("attendance rate below threshold")
        CONSECUTIVE_UNEXCUSED = "consecutive_unexcused", _("consecutive unexcused days")

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="attendance_alert_rules",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    threshold_percent = models.PositiveSmallIntegerField(
        _("threshold (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("For rate rules: alert when the rate falls below this."),
    )
    min_ue_held = models.PositiveSmallIntegerField(
        _("minimum UE held"),
        default=20,
        help_text=_("For rate rules: no alert before this many UE were held."),
    )
    consecutive_days = models.PositiveSmallIntegerField(
        _("consecutive days"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For consecutive-day rules: alert from this many unexcused days in a row."),
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Only courses of this programme (all when empty)."),
    )
    obliging_authority = models.CharField(
        _("obliging authority"),
        max_length=20,
        choices=Entitlement.Authority.choices,
        blank=True,
        help_text=_("Only learners obliged by this authority (all learners when empty)."),
    )
    active = models.BooleanField(_("active"), default=True)

    personal_data = False

    class Meta:
        verbose_name = _("attendance alert rule")
        verbose_name_plural = _("attendance alert rules")
        ordering = ["provider", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="rate_below") | Q(threshold_percent__isnull=False),
                name="alert_rule_rate_has_threshold",
            ),
            models.CheckConstraint(
                condition=~Q(kind="consecutive_unexcused") | Q(consecutive_days__isnull=False),
                name="alert_rule_consecutive_has_days",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Alert(models.Model):
    """One incident of a rule for one enrolment, with the dates that caused it."""

    rule = models.ForeignKey(
        AlertRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="alerts"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="alerts"
    )
    incident_key = models.CharField(_("incident"), max_length=40)
    dates = models.JSONField(_("dates"), default=list)
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4, null=True, blank=True)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    notified_authority = models.BooleanField(_("authority notified"), default=False)

    retention = Retention(
        "attendance_alerts",
        runs_from=Coalesce("enrolment__course__end_date", "enrolment__course__start_date"),
        provider="enrolment__course__provider",
        learner="enrolment__learner",
        course="enrolment__course",
    )

    class Meta:
        verbose_name = _("attendance alert")
        verbose_name_plural = _("attendance alerts")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "enrolment", "incident_key"], name="alert_once_per_incident"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule} · {self.enrolment_id} · {self.incident_key}"


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
