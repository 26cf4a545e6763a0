"""Data protection as data: retention classes and their periods (dated rule data), a provider's
tighter periods, legal holds, the deletion log, requests from persons and the provider's
data-protection settings."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.retention import Retention
from courses.models import Course
from people.models import Learner, Organisation
from privacy.periods import Period, Unit

PROVIDERS_ONLY = {"kind": Organisation.Kind.PROVIDER}


class RetentionRuleQuerySet(models.QuerySet):
    def in_force(self, on: date) -> dict[str, RetentionRule]:
        """The version of every class in force on ``on`` (the latest ``valid_from`` ≤ ``on``)."""
        rules: dict[str, RetentionRule] = {}
        for rule in self.filter(valid_from__lte=on).order_by("key", "valid_from"):
            rules[rule.key] = rule
        return rules


class RetentionRule(models.Model):
    """How long the rows of one retention class are kept, from which event, and why.

    Rule data with a valid-from date: when a law changes, a new version is added (a data
    migration naming its source), the old one stays for the record. Models name their class in
    their own ``retention`` declaration (``core.retention``).
    """

    key = models.SlugField(_("class"), max_length=40)
    valid_from = models.DateField(_("valid from"))
    period = models.PositiveSmallIntegerField(
        _("period"),
        null=True,
        blank=True,
        help_text=_("Empty: no fixed period; kept while in use and removed by staff."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.YEARS)
    from_year_end = models.BooleanField(
        _("counted from the end of the year"),
        default=False,
        help_text=_("The period runs from the end of the calendar year of the event."),
    )
    legal_duty = models.BooleanField(
        _("legal duty to keep"),
        default=False,
        help_text=_(
            "The period is a duty to keep the records: providers cannot shorten it, and an "
            "erasure request keeps them (restricted) until it ends."
        ),
    )
    legal_source = models.CharField(_("legal source"), max_length=400)

    objects = RetentionRuleQuerySet.as_manager()

    personal_data = False

    class Meta:
        verbose_name = _("retention class")
        verbose_name_plural = _("retention classes")
        ordering = ["key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="retention_rule_version"),
            models.CheckConstraint(
                condition=Q(period__isnull=True) | Q(period__gt=0),
                name="retention_rule_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} · {self.valid_from:%d.%m.%Y}"

    @property
    def as_period(self) -> Period | None:
        if self.period is None:
            return None
        return Period(self.period, self.unit, self.from_year_end)


class ProviderRetentionRule(models.Model):
    """A provider's own, shorter period for a class (never longer, never below a legal duty)."""

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="retention_rules",
        limit_choices_to=PROVIDERS_ONLY,
    )
    key = models.SlugField(_("class"), max_length=40)
    valid_from = models.DateField(_("valid from"), default=timezone.localdate)
    period = models.PositiveSmallIntegerField(_("period"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.MONTHS)
    note = models.CharField(_("why"), max_length=300, blank=True)

    personal_data = False

    class Meta:
        verbose_name = _("provider retention period")
        verbose_name_plural = _("provider retention periods")
        ordering = ["provider", "key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "key", "valid_from"], name="provider_retention_rule_version"
            ),
            models.CheckConstraint(
                condition=Q(period__gt=0), name="provider_retention_rule_period_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.key} · {self.valid_from:%d.%m.%Y}"

    def clean(self) -> None:
        from privacy.services.settings import check_provider_period

        if self.provider_id and self.key and self.period and self.valid_from:
            try:
                check_provider_period(
                    key=self.key, period=Period(self.period, self.unit), on=self.valid_from
                )
            except DomainError as error:
                raise ValidationError({error.field or "period": error.message}) from error


class LegalHoldQuerySet(models.QuerySet):
    def active(self, on: date) -> LegalHoldQuerySet:
        return self.filter(starts_on__lte=on, ends_on__gte=on)


class LegalHold(models.Model):
    """A court case or a BAMF audit: nothing the hold covers is deleted or anonymised until its
    end date. It covers a learner, a course, or (with neither) the whole provider."""

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="legal_holds",
        limit_choices_to=PROVIDERS_ONLY,
    )
    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = LegalHoldQuerySet.as_manager()

    # The hold's record outlives it for the accountability period; it does not keep the learner
    # (learner=None here): an ended hold no longer matters for the learner's own records.
    retention = Retention("legal_holds", runs_from="ends_on", provider="provider", course="course")

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        ordering = ["-ends_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="legal_hold_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(learner__isnull=True) | Q(course__isnull=True),
                name="legal_hold_learner_or_course",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="legal_hold_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} · {self.scope_label} · {self.ends_on:%d.%m.%Y}"

    @property
    def scope_label(self) -> str:
        if self.learner_id:
            return str(_("learner"))
        if self.course_id:
            return str(self.course)
        return str(_("whole provider"))

    def clean(self) -> None:
        errors = {}
        if self.learner_id and self.provider_id and self.learner.provider_id != self.provider_id:
            errors["learner"] = _("The learner belongs to another provider.")
        if self.course_id and self.provider_id and self.course.provider_id != self.provider_id:
            errors["course"] = _("The course belongs to another provider.")
        if self.learner_id and self.course_id:
            errors["course"] = _("A hold covers a learner or a course, not both.")
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date lies before the start.")
        if errors:
            raise ValidationError(errors)


class DeletionLog(models.Model):
    """What the retention job or an erasure request deleted or anonymised: class, model, how
    many, when. No personal data: no ids, no names."""

    class Source(models.TextChoices):
        RETENTION = "retention", _("retention job")
        ERASURE = "erasure", _("erasure request")

    class Action(models.TextChoices):
        DELETED = "deleted", _("deleted")
        ANONYMISED = "anonymised", _("anonymised")
        RESTRICTED = "restricted", _("kept, restricted")

    at = models.DateTimeField(_("at"), default=timezone.now)
    ran_on = models.DateField(_("for the day"))
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    key = models.SlugField(_("class"), max_length=40)
    model = models.CharField(_("kind of record"), max_length=100)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    count = models.PositiveIntegerField(_("count"))

    personal_data = False

    class Meta:
        verbose_name = _("deletion log entry")
        verbose_name_plural = _("deletion log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["provider", "at"])]

    def __str__(self) -> str:
        return f"{self.ran_on} · {self.key} · {self.model} · {self.action} {self.count}"


class DataRequest(models.Model):
    """A request by a person about their data (a copy, erasure) and how it was answered."""

    class Kind(models.TextChoices):
        ACCESS = "access", _("copy of the data (access, portability)")
        ERASURE = "erasure", _("erasure")

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=PROVIDERS_ONLY,
    )
    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("request"), max_length=20, choices=Kind.choices)
    completed_at = models.DateTimeField(_("answered at"), default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.JSONField(
        _("outcome"), default=dict, blank=True, help_text=_("Counts per class, no personal data.")
    )

    # Proof that a request was answered, for the accountability period; it names no one once
    # the learner record is gone (learner=None here: it does not keep the learner).
    retention = Retention("data_requests", runs_from="completed_at", provider="provider")

    class Meta:
        verbose_name = _("request from a person")
        verbose_name_plural = _("requests from persons")
        ordering = ["-completed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.completed_at:%d.%m.%Y}"


class PrivacySettings(models.Model):
    """A provider's data-protection officer and supervisory authority, shown to learners."""

    provider = models.OneToOneField(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="privacy_settings",
        limit_choices_to=PROVIDERS_ONLY,
    )
    dpo_name = models.CharField(_("data-protection officer"), max_length=200, blank=True)
    dpo_email = models.EmailField(_("e-mail of the data-protection officer"), blank=True)
    dpo_phone = models.CharField(
        _("phone of the data-protection officer"), max_length=40, blank=True
    )
    dpo_address = models.TextField(_("postal address of the data-protection officer"), blank=True)
    supervisory_authority = models.TextField(
        _("supervisory authority"),
        blank=True,
        help_text=_(
            "Where a learner can complain: for church law the church's data-protection "
            "supervision, otherwise the state commissioner."
        ),
    )

    # The officer's published business contact, not a record about a person.
    personal_data = False

    class Meta:
        verbose_name = _("data-protection settings")
        verbose_name_plural = _("data-protection settings")

    def __str__(self) -> str:
        return str(self.provider)
