"""A learner's place (or wait) in a course, and each provider's waiting-list policy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from courses.models import Course, Module
from people.models import Learner, Organisation


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
