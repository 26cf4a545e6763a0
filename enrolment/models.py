"""Enrolments: a learner's place (or wait) in a course."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from courses.models import Course, CourseType, Level, Module
from people.models import Learner, Location, Organisation, TimeOfDay


class EnrolmentQuerySet(models.QuerySet):
    def active(self) -> EnrolmentQuerySet:
        return self.filter(status__in=Enrolment.ACTIVE_STATUSES)

    def enrolled(self) -> EnrolmentQuerySet:
        return self.filter(status=Enrolment.Status.ENROLLED)


class Enrolment(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied (awaiting confirmation)")
        WAITLISTED = "waitlisted", _("On the waiting list")
        OFFERED = "offered", _("Offered a place")
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class WithdrawalReason(models.TextChoices):
        MOVING = "moving", _("Moving away")
        WORK = "work", _("Work")
        CHILDCARE = "childcare", _("Childcare")
        ILLNESS = "illness", _("Illness")
        COURSE_CHANGE = "course_change", _("Change of course")
        NO_LONGER_ENTITLED = "no_longer_entitled", _("No longer entitled")
        OTHER = "other", _("Other")

    ACTIVE_STATUSES = (Status.APPLIED, Status.WAITLISTED, Status.OFFERED, Status.ENROLLED)

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="enrolments"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="enrolments"
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("start module"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The Kursabschnitt the learner starts in."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    start_date = models.DateField(_("entry date"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("reason for leaving"), max_length=30, choices=WithdrawalReason.choices, blank=True
    )
    withdrawal_note = models.TextField(_("note on leaving"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    late_entry_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("late entry confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    late_entry_confirmed_at = models.DateTimeField(
        _("late entry confirmed at"), null=True, blank=True
    )
    source_wish = models.ForeignKey(
        "WaitlistWish",
        verbose_name=_("from waiting-list wish"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("transferred from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    course_started_recorded = models.BooleanField(default=False, editable=False)

    objects = EnrolmentQuerySet.as_manager()

    #: Set by the services that enrol or apply: False when a repeated request found the
    #: learner's existing enrolment.
    was_created: bool = True

    # BAMF attendance and billing record: kept 5 years after the end of the course, then
    # anonymised (status, dates and reason stay for occupancy, drop-out and waiting-time figures).
    retention = Retention(
        "attendance_records",
        runs_from=Coalesce("course__end_date", "course__start_date"),
        provider="course__provider",
        learner="learner",
        course="course",
        anonymise={"withdrawal_note": "", "created_by": None, "late_entry_confirmed_by": None},
        # Only an enrolment with register rows is a billing record; an erasure request deletes
        # waits, offers and applications at once.
        duty_where=Q(attendance__isnull=False),
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=Q(status__in=["applied", "waitlisted", "offered", "enrolled"]),
                name="enrolment_one_active_per_learner_course",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | ~Q(withdrawal_reason=""),
                name="enrolment_withdrawal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(offer_expires_at__isnull=False),
                name="enrolment_offer_has_expiry",
            ),
        ]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self) -> str:
        return f"{self.learner} · {self.course_id} · {self.status}"


DEFAULT_PRIORITY_RULES = ["obliged", "jobcenter_client", "registered_on"]


class EnrolmentPolicy(models.Model):
    """Rule values of one provider for enrolment and waiting lists (defaults when missing)."""

    class Rule(models.TextChoices):
        OBLIGED = "obliged", _("obliged to attend first")
        JOBCENTER_CLIENT = "jobcenter_client", _("Jobcenter clients first")
        CHILDCARE = "childcare", _("learners needing childcare first")
        REGISTERED_ON = "registered_on", _("earliest registration first")

    provider = models.OneToOneField(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="enrolment_policy",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("offer valid for (hours)"),
        default=72,
        help_text=_("A place offered from the waiting list passes on after this time."),
    )
    late_entry_ue = models.PositiveSmallIntegerField(
        _("late entry without confirmation (UE)"),
        default=25,
        help_text=_("Entry into a running module counts as on time within its first UE."),
    )
    priority_rules = models.JSONField(
        _("priority rules"),
        default=list,
        blank=True,
        help_text=_(
            "Ordered list of: obliged, jobcenter_client, childcare, registered_on. "
            "Ties are broken by the time the learner joined the list."
        ),
    )

    personal_data = False

    class Meta:
        verbose_name = _("enrolment policy")
        verbose_name_plural = _("enrolment policies")

    def __str__(self) -> str:
        return str(self.provider)

    @property
    def rules(self) -> list[str]:
        return [r for r in (self.priority_rules or DEFAULT_PRIORITY_RULES) if r in self.Rule.values]


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


class PlacementSlot(models.Model):
    """A placement test (Einstufungstest) appointment with room for ``capacity`` learners."""

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="placement_slots",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=10)
    tester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tester"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placement_slots",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The appointment itself (the tester is a user with an account of their own).
    personal_data = False

    class Meta:
        verbose_name = _("placement test slot")
        verbose_name_plural = _("placement test slots")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="placement_slot_capacity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.start_time:%H:%M} · {self.location}"


class PlacementBooking(models.Model):
    slot = models.ForeignKey(
        PlacementSlot, verbose_name=_("slot"), on_delete=models.CASCADE, related_name="bookings"
    )
    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="placement_bookings",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The placement test paper: 3 years after the end of the test year.
    retention = Retention(
        "placement_tests",
        runs_from="slot__date",
        provider="slot__provider",
        learner="learner",
        duty_where=Q(result__isnull=False),  # a booking without a result holds no paper
    )

    class Meta:
        verbose_name = _("placement test booking")
        verbose_name_plural = _("placement test bookings")
        ordering = ["slot", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "learner"], name="placement_booking_once")
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.slot}"


class PlacementResult(models.Model):
    """What the test showed, and where staff placed the learner (a deviation needs a reason)."""

    booking = models.OneToOneField(
        PlacementBooking,
        verbose_name=_("booking"),
        on_delete=models.CASCADE,
        related_name="result",
    )
    level_reached = models.CharField(_("level reached"), max_length=4, choices=Level.choices)
    recommended_course_type = models.ForeignKey(
        CourseType,
        verbose_name=_("recommended course type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recommended_module = models.ForeignKey(
        Module,
        verbose_name=_("recommended start module"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_course_type = models.ForeignKey(
        CourseType,
        verbose_name=_("placed in course type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_module = models.ForeignKey(
        Module, verbose_name=_("placed in start module"), on_delete=models.PROTECT, related_name="+"
    )
    deviation_reason = models.TextField(_("reason for a different placement"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    retention = Retention(
        "placement_tests",
        follows="booking",
        learner="booking__learner",
        provider="booking__slot__provider",
    )

    class Meta:
        verbose_name = _("placement test result")
        verbose_name_plural = _("placement test results")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(placed_module=models.F("recommended_module"))
                    & Q(placed_course_type=models.F("recommended_course_type"))
                )
                | ~Q(deviation_reason=""),
                name="placement_deviation_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.booking.learner} · {self.level_reached}"

    @property
    def deviates(self) -> bool:
        return (
            self.placed_module_id != self.recommended_module_id
            or self.placed_course_type_id != self.recommended_course_type_id
        )


class LoginCode(models.Model):
    """A printed one-time code (with QR) that logs a learner's phone in. Only its hash is stored."""

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="login_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    retention = Retention(
        "login_codes", runs_from="expires_at", provider="learner__provider", learner="learner"
    )

    class Meta:
        verbose_name = _("login code")
        verbose_name_plural = _("login codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.learner} · {self.created_at:%d.%m.%Y}"


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


TIMES_OF_DAY = TimeOfDay.values
