"""Enrolments: a learner's place (or wait) in a course."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Module
from people.models import Learner


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

    objects = EnrolmentQuerySet.as_manager()

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
        ]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self) -> str:
        return f"{self.learner} · {self.course_id} · {self.status}"
