"""Language buddies (Sprachpatenschaften): a volunteer and a learner, the learner's consent,
meetings logged by the volunteer and the regular "still meeting?" question."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from people.models import Learner, Organisation
from volunteers.models.profiles import Volunteer


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SIGNAL = "signal", _("Signal")
    TELEGRAM = "telegram", _("Telegram")
    EMAIL = "email", _("E-mail")
    OFFICE = "office", _("Through the course office")


class TandemQuerySet(models.QuerySet):
    def visible_to_volunteer(self) -> TandemQuerySet:
        """Tandems the volunteer may see: running, with the learner's consent not withdrawn."""
        return self.filter(
            status=Tandem.Status.ACTIVE,
            consent_given_at__isnull=False,
            consent_withdrawn_at__isnull=True,
        )


class Tandem(models.Model):
    """A volunteer meets a learner to practise German.

    Staff propose it; the learner's consent is recorded before the volunteer sees anything of
    them, and then the volunteer sees only first name, languages, level and the contact agreed
    here. Withdrawing the consent ends the tandem at once.
    """

    #: Kept until a while after it ended (or was declined); about a learner, so the learner
    #: record stays while it is kept.
    retention = Retention(
        "volunteer_records", runs_from="ended_on", provider="provider", learner="learner"
    )

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the learner's consent")
        ACTIVE = "active", _("Meeting")
        ENDED = "ended", _("Ended")

    class EndReason(models.TextChoices):
        GOAL_REACHED = "goal_reached", _("Goal reached")
        NO_CONTACT = "no_contact", _("No more contact")
        VOLUNTEER = "volunteer", _("The volunteer stopped")
        LEARNER = "learner", _("The learner stopped")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        DECLINED = "declined", _("The learner declined")
        OTHER = "other", _("Other")

    class ConsentMethod(models.TextChoices):
        IN_PERSON = "in_person", _("In person at the office")
        SIGNED_FORM = "signed_form", _("Signed form")
        ACCOUNT = "account", _("In the learner's own account")

    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="tandems")
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="tandems")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    contact_channel = models.CharField(
        _("agreed contact channel"), max_length=20, choices=ContactChannel.choices
    )
    contact_detail = models.CharField(
        _("contact the learner agreed to share"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the phone number for WhatsApp; empty for contact through the office."),
    )
    meeting_times = models.CharField(_("agreed meeting times"), max_length=200, blank=True)
    match_reasons = models.JSONField(_("why they were matched"), default=list, blank=True)
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_given_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_method = models.CharField(
        _("consent given"), max_length=20, choices=ConsentMethod.choices, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_withdrawn_at = models.DateTimeField(_("consent withdrawn at"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=30, choices=EndReason.choices, blank=True
    )
    #: The last day someone said the tandem is alive: start, a meeting, a "still meeting" answer.
    last_sign_of_life = models.DateField(null=True, blank=True, editable=False)
    #: Flagged to staff as stalled (once per stall; cleared by the next sign of life).
    stalled_since = models.DateField(_("stalled since"), null=True, blank=True, editable=False)

    objects = TandemQuerySet.as_manager()

    class Meta:
        verbose_name = _("tandem")
        verbose_name_plural = _("tandems")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "learner"],
                condition=Q(status__in=["proposed", "active"]),
                name="tandem_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(consent_given_at__isnull=False),
                name="tandem_active_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | ~Q(end_reason=""),
                name="tandem_end_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["provider", "status"])]

    def __str__(self) -> str:
        return f"{self.volunteer} · {self.learner_id}"


class TandemMeeting(models.Model):
    retention = Retention(
        "volunteer_hours", runs_from="date", provider="tandem__provider", learner="tandem__learner"
    )

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    minutes = models.PositiveSmallIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    logged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tandem meeting")
        verbose_name_plural = _("tandem meetings")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=600),
                name="tandem_meeting_minutes_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.tandem_id} · {self.date:%d.%m.%Y}"


class TandemCheckin(models.Model):
    """The regular question to the volunteer: are you still meeting?"""

    retention = Retention("volunteer_records", follows="tandem")

    class Answer(models.TextChoices):
        MEETING = "meeting", _("Yes, we are still meeting")
        PAUSED = "paused", _("We are taking a break")
        ENDING = "ending", _("No, we would like to stop")

    tandem = models.ForeignKey(Tandem, on_delete=models.CASCADE, related_name="checkins")
    asked_on = models.DateField(_("asked on"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tandem check-in")
        verbose_name_plural = _("tandem check-ins")
        ordering = ["-asked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.tandem_id} · {self.asked_on:%d.%m.%Y}"
