"""Volunteers: one profile per person and provider, with languages, availability and places they
can reach; and each provider's rule values for volunteer work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from people.models import Location, Organisation, Weekday
from volunteers.languages import Language, LanguageLevel


class VolunteerRole(models.TextChoices):
    """What a volunteer does; each role has its own requirements (``RequirementRule``)."""

    CAFE = "cafe", _("Language café")
    HOMEWORK = "homework", _("Homework help with children")
    TANDEM = "tandem", _("Language buddy (tandem)")
    EVENTS = "events", _("Events")
    LOTSE = "lotse", _("Integration guide (Integrationslotse)")


class Skill(models.TextChoices):
    SCHOOL = "school", _("School subjects and homework")
    COMPUTERS = "computers", _("Computers and smartphones")
    APPOINTMENTS = "appointments", _("Going along to offices and doctors")
    INTERPRETING = "interpreting", _("Interpreting")
    CHILDREN = "children", _("Looking after children")
    EVENTS = "events", _("Cooking, music, sport, events")
    JOBS = "jobs", _("Job applications")


class VolunteerQuerySet(models.QuerySet):
    def active(self) -> VolunteerQuerySet:
        return self.filter(status=Volunteer.Status.ACTIVE)


class Volunteer(models.Model):
    """A person volunteering for one provider (the same person at two providers: two profiles).

    The person is a ``people.User``; they may also be a learner. An accepted (active) profile
    goes with the ``volunteer`` membership role at the provider.
    """

    #: Kept while the person volunteers; the period runs from the end (or the declined
    #: application). Their languages, times, requirements, tandems and proofs go with it.
    retention = Retention("volunteer_records", runs_from="ended_on", provider="provider")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")
        DECLINED = "declined", _("Declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="volunteer_profiles",
    )
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="volunteers",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    roles = models.JSONField(
        _("roles"), default=list, blank=True, help_text=_("What the volunteer would like to do.")
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    skills_note = models.CharField(_("other skills"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    date_of_birth = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        help_text=_("Needed only for certificates of trainings."),
    )
    reachable_locations = models.ManyToManyField(
        Location, verbose_name=_("places I can reach"), blank=True, related_name="+"
    )
    motivation = models.TextField(_("what I would like to do"), blank=True)
    start_date = models.DateField(_("volunteering since"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.TextField(_("note (staff only)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["user__last_name", "user__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "provider"], name="volunteer_once_per_provider"
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(start_date__isnull=False),
                name="volunteer_active_has_start_date",
            ),
        ]
        indexes = [models.Index(fields=["provider", "status"])]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    @property
    def first_name(self) -> str:
        return self.user.first_name

    def role_labels(self) -> list[str]:
        return [str(VolunteerRole(r).label) for r in self.roles if r in VolunteerRole.values]

    def skill_labels(self) -> list[str]:
        return [str(Skill(s).label) for s in self.skills if s in Skill.values]


class VolunteerLanguage(models.Model):
    retention = Retention("volunteer_records", follows="volunteer")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    level = models.CharField(_("level"), max_length=8, choices=LanguageLevel.choices)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["volunteer", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "language"], name="volunteer_language_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({self.get_level_display()})"


class Availability(models.Model):
    """A weekly time window: every <weekday> from <start> to <end>."""

    retention = Retention("volunteer_records", follows="volunteer")

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("time I am available")
        verbose_name_plural = _("times I am available")
        ordering = ["volunteer", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="availability_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class VolunteerPolicy(models.Model):
    """Rule values of one provider's volunteer work (defaults when the row is missing)."""

    personal_data = False

    provider = models.OneToOneField(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="volunteer_policy",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    checkin_interval_days = models.PositiveSmallIntegerField(
        _("ask tandems 'still meeting?' every (days)"), default=21
    )
    stall_after_days = models.PositiveSmallIntegerField(
        _("flag a tandem after days without a meeting or answer"), default=42
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind this many days before a requirement expires"), default=30
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer coordinators"),
        blank=True,
        related_name="+",
        help_text=_("Staff who receive reminders and flagged tandems; without any, all staff do."),
    )

    class Meta:
        verbose_name = _("volunteer policy")
        verbose_name_plural = _("volunteer policies")

    def __str__(self) -> str:
        return str(self.provider)
