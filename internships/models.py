"""Employers and internship placements (Praktika) of the language-and-work programme."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from courses.models import Level
from people.models import Learner, Organisation

WEEKDAY_NAMES = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]


class Employer(models.Model):
    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.CASCADE, related_name="employers"
    )
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    places_offered = models.PositiveSmallIntegerField(_("places offered"), default=1)
    min_level = models.CharField(
        _("minimum German level"),
        max_length=4,
        choices=Level.choices,
        blank=True,
        help_text=_("The language level the employer expects of an intern."),
    )
    active = models.BooleanField(_("takes interns"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    # Contact persons of employers: kept while the cooperation lasts, removed by staff.
    retention = Retention("business_contacts", provider="provider")

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address(self) -> str:
        town = " ".join(p for p in (self.postcode, self.town) if p)
        return ", ".join(p for p in (self.street, town) if p)


class Placement(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AGREED = "agreed", _("Agreed")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        ABORTED = "aborted", _("Aborted")

    class Type(models.TextChoices):
        EMPLOYER_MEASURE = "mag", _("Jobcenter employer measure (MAG)")
        ORIENTATION = "orientation", _("Orientation internship")
        IN_COURSE = "in_course", _("In-course internship")
        TRIAL_WORK = "trial_work", _("Trial work")

    class Outcome(models.TextChoices):
        JOB_OFFER = "job_offer", _("Job offer")
        APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
        NONE = "none", _("None")

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="placements"
    )
    employer = models.ForeignKey(
        Employer, verbose_name=_("employer"), on_delete=models.PROTECT, related_name="placements"
    )
    type = models.CharField(
        _("type"), max_length=20, choices=Type.choices, default=Type.ORIENTATION
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    weekdays = models.JSONField(
        _("working days"), default=list, blank=True, help_text=_("0 = Monday … 6 = Sunday.")
    )
    daily_hours = models.DecimalField(
        _("hours per day"),
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(12)],
    )
    daily_start = models.TimeField(_("daily start"), null=True, blank=True)
    daily_end = models.TimeField(_("daily end"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, default=0
    )
    supervisor_name = models.CharField(_("supervisor"), max_length=200, blank=True)
    supervisor_email = models.EmailField(_("supervisor e-mail"), blank=True)
    learning_goals = models.TextField(_("learning goals"), blank=True)
    tasks = models.TextField(_("tasks"), blank=True)
    paid = models.BooleanField(_("paid"), default=False)
    pay_note = models.CharField(_("pay and leave"), max_length=200, blank=True)
    jobcenter_reference = models.CharField(
        _("Jobcenter approval reference"), max_length=60, blank=True
    )
    immigration_approval_needed = models.BooleanField(
        _("immigration office approval needed"), default=False
    )
    immigration_reference = models.CharField(
        _("immigration office approval reference"), max_length=60, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    midterm_evaluation = models.TextField(_("mid-term evaluation"), blank=True)
    final_evaluation = models.TextField(_("final evaluation"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    abort_reason = models.CharField(_("reason for aborting"), max_length=300, blank=True)
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Anonymised 2 years after the end (status, outcome, dates and hours stay for the outcomes report).
    retention = Retention(
        "internship_records",
        runs_from="end_date",
        provider="learner__provider",
        learner="learner",
        anonymise={
            "supervisor_name": "",
            "supervisor_email": "",
            "learning_goals": "",
            "tasks": "",
            "pay_note": "",
            "jobcenter_reference": "",
            "immigration_reference": "",
            "midterm_evaluation": "",
            "final_evaluation": "",
            "abort_reason": "",
            "created_by": None,
        },
    )

    class Meta:
        verbose_name = _("internship placement")
        verbose_name_plural = _("internship placements")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="placement_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(daily_start__isnull=True)
                | Q(daily_end__isnull=True)
                | Q(daily_end__gt=models.F("daily_start")),
                name="placement_daily_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["learner", "status"])]

    def __str__(self) -> str:
        return f"{self.learner} @ {self.employer}"

    @property
    def weekday_names(self) -> list[str]:
        return [str(WEEKDAY_NAMES[d]) for d in sorted(self.weekdays)]

    def working_days(self, start: date | None = None, end: date | None = None) -> list[date]:
        """The placement's working days between ``start`` and ``end`` (its whole period by default)."""
        day = max(start or self.start_date, self.start_date)
        last = min(end or self.end_date, self.end_date)
        days = []
        weekdays = set(self.weekdays)
        while day <= last:
            if day.weekday() in weekdays:
                days.append(day)
            day += timedelta(days=1)
        return days


class PlacementDay(models.Model):
    """One working day of an intern as the supervisor confirmed it (internship attendance)."""

    placement = models.ForeignKey(
        Placement, verbose_name=_("placement"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"))
    present = models.BooleanField(_("present"), default=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    confirmed_by_name = models.CharField(_("confirmed by"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    retention = Retention("internship_records", follows="placement", learner="placement__learner")

    class Meta:
        verbose_name = _("internship day")
        verbose_name_plural = _("internship days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "date"], name="placement_day_unique"),
            models.CheckConstraint(condition=Q(hours__gte=0), name="placement_day_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} · {self.date:%d.%m.%Y}"


class InternshipWish(models.Model):
    """A learner's wish for an internship: the sector, level and place staff match employers on."""

    learner = models.OneToOneField(
        Learner,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="internship_wish",
    )
    sector = models.CharField(_("sector"), max_length=100)
    language_level = models.CharField(
        _("German level"), max_length=4, choices=Level.choices, blank=True
    )
    town = models.CharField(
        _("town"), max_length=100, blank=True, help_text=_("Where the learner can get to.")
    )
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    retention = Retention(
        "learner_records",
        runs_from=Case(When(active=True, then=Value(None)), default="created_at"),
        provider="learner__provider",
        learner="learner",
    )

    class Meta:
        verbose_name = _("internship wish")
        verbose_name_plural = _("internship wishes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.learner} · {self.sector}"
