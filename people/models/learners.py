"""Learners, their entitlements (BAMF letters, Jobcenter obligations) and the learner event outbox."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from core.validators import no_bidi_controls
from people.models.accounts import Organisation
from people.rules import birth_date_problem


class TimeOfDay(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")
    EVENING = "evening", _("Evening")


class LearnerQuerySet(models.QuerySet):
    def unrestricted(self) -> LearnerQuerySet:
        return self.filter(restricted_at__isnull=True)


class VisibleLearnerManager(models.Manager.from_queryset(LearnerQuerySet)):
    """The default manager: learners whose data is restricted are hidden from every door.

    After an erasure request the records that must be kept (BAMF attendance and billing) stay,
    restricted: only the data-protection officer sees them (``Learner.all_objects``). Staff
    pages, the API, forms and the admin all start from ``Learner.objects`` and never see them.
    Related access (``enrolment.learner``) uses the base manager and still finds the row, so a
    signed register of a past course day stays complete.
    """

    def get_queryset(self) -> LearnerQuerySet:
        return super().get_queryset().unrestricted()


#: What the learner record keeps when it is anonymised: the provider, the registration date and
#: the preferred language (waiting-time and attendance reports group by them); nothing that
#: names or reaches the person.
LEARNER_ANONYMISED = {
    "first_name": "",
    "last_name": "",
    "date_of_birth": None,
    "gender": "x",
    "birth_place": "",
    "country_of_birth": "",
    "nationality": "",
    "native_language": "",
    "bamf_number": "",
    "street": "",
    "postcode": "",
    "town": "",
    "phone": "",
    "email": "",
    "childcare_needed": False,
    "available_times": [],
    "notes": "",
    "user": None,
    "identity_confirmed_by": None,
    "anonymised_at": Now(),
}

#: What an erasure request clears at once when the record must be kept (restricted) for a
#: legal duty: everything the BAMF attendance and billing records do not need. Name, date of
#: birth, BAMF number and fee exemption stay until those records are due.
LEARNER_RESTRICTED_KEEPS_ONLY = {
    "birth_place": "",
    "country_of_birth": "",
    "nationality": "",
    "native_language": "",
    "street": "",
    "postcode": "",
    "town": "",
    "phone": "",
    "email": "",
    "childcare_needed": False,
    "available_times": [],
    "notes": "",
    "user": None,
}


class Learner(models.Model):
    """A participant (Teilnehmende) as registered with one provider.

    Each provider keeps its own record; the same person at two providers is two records.
    """

    class Gender(models.TextChoices):
        FEMALE = "f", _("female")
        MALE = "m", _("male")
        DIVERSE = "d", _("diverse")
        UNSPECIFIED = "x", _("not specified")

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="learners",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learner",
    )
    first_name = models.CharField(_("first name"), max_length=100, validators=[no_bidi_controls])
    last_name = models.CharField(_("last name"), max_length=100, validators=[no_bidi_controls])
    # Required in every form; empty only once the record is anonymised.
    date_of_birth = models.DateField(_("date of birth"), null=True)
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, default=Gender.UNSPECIFIED
    )
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    country_of_birth = models.CharField(
        _("country of birth"), max_length=2, blank=True, help_text=_("ISO 3166 code")
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, blank=True, help_text=_("ISO 3166 code")
    )
    native_language = models.CharField(_("first language"), max_length=40, blank=True)
    bamf_number = models.CharField(
        _("BAMF participant number"),
        max_length=30,
        blank=True,
        help_text=_("Kennziffer on the BAMF entitlement or obligation."),
    )
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    childcare_needed = models.BooleanField(_("needs childcare"), default=False)
    available_times = models.JSONField(
        _("available times of day"),
        default=list,
        blank=True,
        help_text=_("Any of: morning, afternoon, evening."),
    )
    fee_exempt = models.BooleanField(
        _("exempt from fees"),
        default=False,
        help_text=_("Bürgergeld, social assistance or asylum benefits."),
    )
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    identity_confirmed_at = models.DateTimeField(_("identity confirmed at"), null=True, blank=True)
    identity_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("identity confirmed by"),
    )
    notes = models.TextField(_("notes"), blank=True)
    restricted_at = models.DateTimeField(
        _("restricted since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "After an erasure request: kept only for a legal duty, visible to the "
            "data-protection officer alone."
        ),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleLearnerManager()
    all_objects = models.Manager.from_queryset(LearnerQuerySet)()

    # The record itself goes last: only once every record about the learner in the other
    # classes is due or gone. It is then anonymised where anonymised records still point at it
    # (reports), deleted otherwise. Normally 2 years after registration at the earliest; after an
    # erasure request the short "erasure_notices" period (the Jobcenter reads that the link
    # ended) runs from the restriction.
    retention = (
        Retention(
            "learner_records",
            runs_from="registered_on",
            provider="provider",
            learner="",
            anonymise=LEARNER_ANONYMISED,
            where=Q(restricted_at__isnull=True),
            minimise=LEARNER_RESTRICTED_KEEPS_ONLY,
            after_dependants=True,
        ),
        Retention(
            "erasure_notices",
            runs_from="restricted_at",
            provider="provider",
            learner="",
            anonymise=LEARNER_ANONYMISED,
            where=Q(restricted_at__isnull=False),
            after_dependants=True,
        ),
    )

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["provider", "last_name", "first_name"])]

    def __str__(self) -> str:
        return f"{self.last_name}, {self.first_name}"

    def clean(self) -> None:
        """The plausibility of the birth date (``people.rules``), for the admin and imports."""
        if self.date_of_birth is not None:
            problem = birth_date_problem(self.date_of_birth, today=timezone.localdate())
            if problem:
                raise ValidationError({"date_of_birth": problem})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Entitlement(models.Model):
    """Berechtigung/Zulassung (entitled) or Verpflichtung (obliged), and who issued it."""

    class Kind(models.TextChoices):
        ENTITLEMENT = "entitlement", _("Entitlement")
        ADMISSION = "admission", _("Admission by BAMF")
        OBLIGATION = "obligation", _("Obligation")

    class Authority(models.TextChoices):
        BAMF = "bamf", _("BAMF")
        IMMIGRATION_OFFICE = "abh", _("Immigration office (ABH)")
        JOBCENTER = "jobcenter", _("Jobcenter")
        ASYLUM_BENEFITS_OFFICE = "asylblg", _("Asylum benefits office")
        EMPLOYMENT_AGENCY = "agentur", _("Employment agency")

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="entitlements")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    authority = models.CharField(_("issuing authority"), max_length=20, choices=Authority.choices)
    authority_name = models.CharField(_("authority name"), max_length=200, blank=True)
    jobcenter = models.ForeignKey(
        Organisation,
        verbose_name=_("Jobcenter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations",
        limit_choices_to={"kind": Organisation.Kind.JOBCENTER},
        help_text=_("When a Jobcenter in this system issued it."),
    )
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    # The entitlement is the billing basis of the learner's course (kept with the learner);
    # anonymised, kind and dates stay for the attendance report's grouping.
    retention = Retention(
        "attendance_records",
        follows="learner",
        learner="learner",
        provider="learner__provider",
        anonymise={"authority_name": "", "reference": ""},
    )

    class Meta:
        verbose_name = _("entitlement or obligation")
        verbose_name_plural = _("entitlements and obligations")
        ordering = ["-issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("issued_on")),
                name="entitlement_expires_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(jobcenter__isnull=True) | Q(authority="jobcenter"),
                name="entitlement_jobcenter_only_for_jobcenter_authority",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_authority_display()})"

    @property
    def is_obligation(self) -> bool:
        return self.kind == self.Kind.OBLIGATION

    def is_valid_on(self, day) -> bool:
        return self.issued_on <= day and (self.expires_on is None or day <= self.expires_on)


class LearnerEvent(models.Model):
    """Outbox of things that happened to a learner (enrolled, withdrawn, alert, internship …).

    Written by the services of every app in the same transaction as the change; read by the
    Jobcenter feed (filtered by link) and by reports. The id orders events and is the cursor.
    """

    class Type(models.TextChoices):
        ENROLLED = "enrolled", _("enrolled")
        WAITLISTED = "waitlisted", _("waitlisted")
        OFFERED = "offered", _("offered a place")
        COURSE_STARTED = "course_started", _("course started")
        NOT_PARTICIPATING_PROPERLY = "not_participating_properly", _("not participating properly")
        WITHDRAWN = "withdrawn", _("withdrawn")
        TRANSFERRED = "transferred", _("transferred")
        COMPLETED = "completed", _("completed")
        INTERNSHIP_STARTED = "internship_started", _("internship started")
        INTERNSHIP_ENDED = "internship_ended", _("internship ended")
        # After an erasure request: the Jobcenter learns that its link ended, nothing more
        # (data: jobcenter_id and its own customer_number, no reason).
        LINK_ENDED = "link_ended", _("link ended")

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(_("type"), max_length=40, choices=Type.choices)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    data = models.JSONField(_("data"), default=dict, blank=True)

    retention = Retention("learner_records", follows="learner", learner="learner")

    class Meta:
        verbose_name = _("learner event")
        verbose_name_plural = _("learner events")
        ordering = ["id"]
        indexes = [models.Index(fields=["learner", "id"])]

    def __str__(self) -> str:
        return f"{self.type} · {self.learner_id}"
