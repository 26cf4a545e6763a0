"""Programmes, course types and their modules (rule data), courses, timetables and sessions."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.validators import DateInRange, no_bidi_controls
from people.models import Location, Organisation, TimeOfDay


class Level(models.TextChoices):
    """CEFR (GER) levels and the course sub-levels, in teaching order."""

    A1 = "A1", "A1"
    A1_1 = "A1.1", "A1.1"
    A1_2 = "A1.2", "A1.2"
    A2 = "A2", "A2"
    A2_1 = "A2.1", "A2.1"
    A2_2 = "A2.2", "A2.2"
    B1 = "B1", "B1"
    B1_1 = "B1.1", "B1.1"
    B1_2 = "B1.2", "B1.2"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"

    @classmethod
    def rank(cls, value: str) -> int:
        """Position in teaching order: A1 < A1.1 < A1.2 < A2 … (a main level sorts before its parts)."""
        return cls.values.index(value)

    @classmethod
    def family(cls, value: str) -> list[str]:
        """The level and its sub-levels: ``A1`` → ``["A1", "A1.1", "A1.2"]``; ``A1.1`` → itself."""
        if "." in value:
            return [value]
        return [v for v in cls.values if v == value or v.startswith(value + ".")]


class Programme(models.Model):
    """A funding programme: Integrationskurs (IntV) or Berufssprachkurs (DeuFöV) — or the
    volunteering activities and trainings that use the same course machinery."""

    class Kind(models.TextChoices):
        COURSES = "courses", _("Language and integration courses")
        VOLUNTEERING = "volunteering", _("Volunteering: activities and trainings")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[no_bidi_controls])
    legal_basis = models.CharField(_("legal basis"), max_length=100, blank=True)
    start_deadline_weeks = models.PositiveSmallIntegerField(
        _("start deadline (weeks)"),
        help_text=_("A course should start within this many weeks of registration."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.COURSES,
        help_text=_(
            "Volunteering activities run as courses too, but occupancy, free seats and the "
            "course catalogue count language and integration courses only."
        ),
    )

    personal_data = False

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CourseTypeQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> CourseTypeQuerySet:
        """The rule version in force on ``on`` for each code (latest valid_from not after it)."""
        from django.utils import timezone

        on = on or timezone.localdate()
        newer = CourseType.objects.filter(
            code=models.OuterRef("code"),
            valid_from__lte=on,
            valid_from__gt=models.OuterRef("valid_from"),
        )
        return self.filter(valid_from__lte=on).exclude(models.Exists(newer))


class CourseType(models.Model):
    """A course type as the rules define it from ``valid_from`` on; a rule change is a new row."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="course_types",
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200, validators=[no_bidi_controls])
    valid_from = models.DateField(_("valid from"))
    max_group_size = models.PositiveSmallIntegerField(_("maximum group size"), default=25)
    min_participants = models.PositiveSmallIntegerField(
        _("minimum participants to start"), default=1
    )
    entry_level = models.CharField(
        _("entry level"), max_length=4, choices=Level.choices, blank=True
    )
    target_level = models.CharField(_("target level"), max_length=4, choices=Level.choices)
    final_exam = models.CharField(_("final exam"), max_length=100, blank=True)

    objects = CourseTypeQuerySet.as_manager()

    personal_data = False

    class Meta:
        verbose_name = _("course type")
        verbose_name_plural = _("course types")
        ordering = ["programme__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="course_type_unique_version"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_ue(self) -> int:
        return sum(m.ue for m in self.modules.all())


class Module(models.Model):
    """Kursabschnitt: a module of a course type (100 UE in the integration course)."""

    class Kind(models.TextChoices):
        LANGUAGE = "language", _("Language course")
        ORIENTATION = "orientation", _("Orientation course")

    course_type = models.ForeignKey(
        CourseType, verbose_name=_("course type"), on_delete=models.CASCADE, related_name="modules"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LANGUAGE)
    ue = models.PositiveSmallIntegerField(
        _("teaching units (UE)"), validators=[MinValueValidator(1)]
    )
    target_level = models.CharField(
        _("target level"), max_length=4, choices=Level.choices, blank=True
    )

    personal_data = False

    class Meta:
        verbose_name = _("Kursabschnitt (module)")
        verbose_name_plural = _("Kursabschnitte (modules)")
        ordering = ["course_type", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course_type", "order"], name="module_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ue} UE)"


class CourseQuerySet(models.QuerySet):
    PUBLIC_STATUSES = ("open", "running", "planned")

    def public(self) -> CourseQuerySet:
        return self.filter(status__in=self.PUBLIC_STATUSES, is_published=True)

    def of_providers(self, provider_ids) -> CourseQuerySet:
        return self.filter(provider_id__in=provider_ids)

    def language_courses(self) -> CourseQuerySet:
        """Courses of the language and integration programmes, without the volunteering
        activities (language cafés, trainings) that use the same machinery."""
        return self.filter(course_type__programme__kind=Programme.Kind.COURSES)


class Course(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open for enrolment")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="courses",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="courses"
    )
    course_type = models.ForeignKey(
        CourseType, verbose_name=_("course type"), on_delete=models.PROTECT, related_name="courses"
    )
    first_module = models.ForeignKey(
        Module,
        verbose_name=_("first module"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The Kursabschnitt the course starts with."),
    )
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[no_bidi_controls])
    room = models.CharField(
        _("room"), max_length=60, blank=True, help_text=_("Where in the building, e.g. 2.14.")
    )
    bamf_course_number = models.CharField(_("BAMF course number"), max_length=30, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=25, validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    seats_held = models.PositiveSmallIntegerField(
        _("seats held"),
        default=0,
        editable=False,
        help_text=_("Enrolled learners plus open offers."),
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teachers"),
        blank=True,
        related_name="taught_courses",
    )
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON
    )
    childcare = models.BooleanField(_("childcare offered"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    is_published = models.BooleanField(_("shown in the public catalogue"), default=True)
    start_date = models.DateField(_("start date"), validators=[DateInRange()])
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Derived from the sessions.")
    )
    time_of_day = models.CharField(
        _("time of day"),
        max_length=20,
        choices=TimeOfDay.choices,
        blank=True,
        help_text=_("Derived from the timetable."),
    )
    ue_per_week = models.PositiveSmallIntegerField(
        _("UE per week"), default=0, help_text=_("Derived from the timetable.")
    )
    waitlist_auto_enrol = models.BooleanField(
        _("enrol from waiting list at once"),
        default=False,
        help_text=_(
            "When a seat frees, enrol the next learner directly instead of sending an offer."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseQuerySet.as_manager()

    # Teachers are users (their accounts have their own class); the course holds no personal data.
    personal_data = False

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=25), name="course_capacity_1_to_25"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="course_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"])]

    def __str__(self) -> str:
        """A label no two courses of a provider share: title (or type), location, start date and
        time of day — pickers, lists and messages tell same-named courses apart."""
        parts = [
            self.title or str(self.course_type),
            str(self.location),
            f"{self.start_date:%d.%m.%Y}",
        ]
        if self.time_of_day:
            parts.append(str(self.get_time_of_day_display()))
        return " · ".join(parts)

    def modules_to_teach(self) -> list[Module]:
        return [m for m in self.course_type.modules.all() if m.order >= self.first_module.order]

    @property
    def total_ue(self) -> int:
        return sum(m.ue for m in self.modules_to_teach())


class TimetableSlot(models.Model):
    """A weekly teaching slot: every <weekday> from <start> to <end>, teaching <ue> UE."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="timetable")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    ue = models.PositiveSmallIntegerField(
        _("UE"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    personal_data = False

    class Meta:
        verbose_name = _("timetable slot")
        verbose_name_plural = _("timetable")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "weekday", "start_time"], name="timetable_unique_slot"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="timetable_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class SessionQuerySet(models.QuerySet):
    def held(self) -> SessionQuerySet:
        return self.exclude(status=Session.Status.CANCELLED)


class Session(models.Model):
    """A course day (Unterrichtstag): the unit the attendance register is kept in."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="sessions"
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("Kursabschnitt (module)"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    ue = models.PositiveSmallIntegerField(_("UE"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    cancel_reason = models.CharField(_("reason for cancellation"), max_length=200, blank=True)

    objects = SessionQuerySet.as_manager()

    personal_data = False

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "date", "start_time"], name="session_unique_per_course_time"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")), name="session_end_after_start"
            ),
        ]
        indexes = [models.Index(fields=["course", "date"])]

    def __str__(self) -> str:
        return f"{self.course_id} · {self.date:%d.%m.%Y} {self.start_time:%H:%M}"
