"""Activities (language cafés, homework help, events) and their shifts.

An activity is a ``courses.Course`` of the volunteering programme, unpublished in the course
catalogue; each of its dates is a ``courses.Session``, so the session QR, the check-in window
and the teacher's QR screen work for it unchanged. A shift is the volunteer places on one date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from courses.models import Course, Session
from people.models import Learner
from volunteers.models.profiles import Volunteer, VolunteerRole


class Activity(models.Model):
    personal_data = False

    class Kind(models.TextChoices):
        CAFE = "cafe", _("Language café")
        HOMEWORK = "homework", _("Homework help")
        EVENT = "event", _("Event")

    course = models.OneToOneField(
        Course, on_delete=models.CASCADE, related_name="volunteer_activity"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    role = models.CharField(
        _("volunteer role"),
        max_length=20,
        choices=VolunteerRole.choices,
        help_text=_("Volunteers need this role's requirements to take a shift."),
    )
    volunteers_needed = models.PositiveSmallIntegerField(_("volunteers needed per date"), default=2)
    learner_signup = models.BooleanField(_("learners sign up"), default=False)
    learner_places = models.PositiveSmallIntegerField(
        _("places for learners per date"), null=True, blank=True
    )
    is_public = models.BooleanField(_("shown to learners ('Practise German')"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["course__start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(learner_signup=False) | Q(learner_places__gte=1),
                name="activity_signup_has_places",
            )
        ]

    def __str__(self) -> str:
        return self.course.title or self.get_kind_display()

    @property
    def title(self) -> str:
        return self.course.title or str(self.get_kind_display())


class Shift(models.Model):
    """The volunteer places on one date of an activity."""

    personal_data = False

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="shifts")
    session = models.ForeignKey(
        Session, verbose_name=_("date"), on_delete=models.CASCADE, related_name="volunteer_shifts"
    )
    task = models.CharField(_("task"), max_length=100, blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=2)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["session__date", "session__start_time", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "task"], name="shift_unique_task"),
            models.CheckConstraint(condition=Q(places__gte=1), name="shift_places_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.session.date:%d.%m.%Y}"


class ShiftAssignment(models.Model):
    """A volunteer's claim on a shift; checked in by the session QR (or by staff)."""

    retention = Retention(
        "volunteer_hours", runs_from="shift__session__date", provider="volunteer__provider"
    )

    class Status(models.TextChoices):
        CLAIMED = "claimed", _("Claimed")
        CANCELLED = "cancelled", _("Cancelled")

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments")
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="shift_assignments"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CLAIMED
    )
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")
        ordering = ["shift", "claimed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift", "volunteer"],
                condition=Q(status="claimed"),
                name="shift_assignment_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.shift}"


class ActivitySignup(models.Model):
    """A learner signed up for one date of an activity (when the activity takes sign-ups)."""

    retention = Retention(
        "volunteer_hours",
        runs_from="session__date",
        provider="session__course__provider",
        learner="learner",
    )

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="activity_signups")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="activity_signups")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("learner sign-up")
        verbose_name_plural = _("learner sign-ups")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"],
                condition=Q(cancelled_at__isnull=True),
                name="activity_signup_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} · {self.session_id}"
