"""Users, organisations (providers and Jobcenters), their locations, roles and learners."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from core.validators import no_bidi_controls
from people.rules import birth_date_problem


class FederalState(models.TextChoices):
    """German states with the codes the ``holidays`` package uses for subdivisions."""

    BW = "BW", _("Baden-Württemberg")
    BY = "BY", _("Bavaria")
    BE = "BE", _("Berlin")
    BB = "BB", _("Brandenburg")
    HB = "HB", _("Bremen")
    HH = "HH", _("Hamburg")
    HE = "HE", _("Hesse")
    MV = "MV", _("Mecklenburg-Western Pomerania")
    NI = "NI", _("Lower Saxony")
    NW = "NW", _("North Rhine-Westphalia")
    RP = "RP", _("Rhineland-Palatinate")
    SL = "SL", _("Saarland")
    SN = "SN", _("Saxony")
    ST = "ST", _("Saxony-Anhalt")
    SH = "SH", _("Schleswig-Holstein")
    TH = "TH", _("Thuringia")


class Role(models.TextChoices):
    STAFF = "staff", _("Staff")
    TEACHER = "teacher", _("Teacher")
    CASEWORKER = "caseworker", _("Jobcenter caseworker")
    NETWORK_VIEWER = "network_viewer", _("Network viewer (aggregate figures only)")
    DATA_PROTECTION_OFFICER = "dpo", _("Data protection officer")
    #: An accepted volunteer of the provider (held while their ``volunteers.Volunteer`` profile
    #: there is active; granted and taken away by the volunteers services only).
    VOLUNTEER = "volunteer", _("Volunteer")
    #: Administers a Jobcenter's integration (API keys, webhooks, access log); held in the
    #: Jobcenter's own organisation, never by provider staff through the network.
    JOBCENTER_ADMIN = "jobcenter_admin", _("Jobcenter administrator")
    #: Named by a network to administer shared Jobcenter integrations on its behalf.
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    #: Counselling staff of a provider (MBE, JMD): refers clients across the network.
    COUNSELLOR = "counsellor", _("Migration counsellor")


@dataclass(frozen=True, slots=True)
class RoleMembership:
    """One role a user holds in an organisation (loaded once per user object)."""

    role: str
    organisation_id: int
    organisation_kind: str


class User(AbstractUser):
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="de"
    )

    # A login without a role and without a learner record (a learner's login once the learner
    # is gone, a former employee's) goes once nobody used it for the period: the access and
    # audit logs name users, so it lives as long as those logs.
    retention = Retention(
        "user_accounts",
        runs_from=Coalesce("last_login", "date_joined"),
        where=Q(learner__isnull=True, memberships__isnull=True, is_superuser=False, is_staff=False),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def role_memberships(self) -> list[RoleMembership]:
        """Every membership of the user, loaded once per object."""
        if not self.is_authenticated or not self.is_active:
            return []
        if "_role_memberships" not in self.__dict__:
            self.__dict__["_role_memberships"] = [
                RoleMembership(**row)
                for row in self.memberships.values(
                    "role", "organisation_id", organisation_kind=F("organisation__kind")
                )
            ]
        return self.__dict__["_role_memberships"]

    def roles(self) -> set[str]:
        return {membership.role for membership in self.role_memberships()}

    def organisation_ids(self, *, role: str | None = None, kind: str | None = None) -> list[int]:
        """Organisations in which the user holds ``role`` (any role when None)."""
        ids: list[int] = []
        for membership in self.role_memberships():
            wanted = (role is None or membership.role == role) and (
                kind is None or membership.organisation_kind == kind
            )
            if wanted and membership.organisation_id not in ids:
                ids.append(membership.organisation_id)
        return ids

    def provider_ids(self, *, role: str | None = None) -> list[int]:
        return self.organisation_ids(role=role, kind=Organisation.Kind.PROVIDER)

    def jobcenter_ids(self) -> list[int]:
        return self.organisation_ids(role=Role.CASEWORKER, kind=Organisation.Kind.JOBCENTER)

    def has_role(self, role: str) -> bool:
        return bool(self.organisation_ids(role=role))


class Network(models.Model):
    """A county network of providers that shares its catalogue (e.g. Kreis Pinneberg)."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    personal_data = False

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        PROVIDER = "provider", _("Course provider")
        JOBCENTER = "jobcenter", _("Jobcenter")

    class DataProtectionRegime(models.TextChoices):
        GDPR = "gdpr", _("GDPR (DSGVO)")
        DSG_EKD = "dsg_ekd", _("Protestant church law (DSG-EKD)")
        KDG = "kdg", _("Catholic church law (KDG)")

    name = models.CharField(_("name"), max_length=200, validators=[no_bidi_controls])
    short_name = models.CharField(
        _("short name"), max_length=60, blank=True, validators=[no_bidi_controls]
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    bamf_provider_number = models.CharField(_("BAMF provider number"), max_length=30, blank=True)
    data_protection_regime = models.CharField(
        _("data protection regime"),
        max_length=20,
        choices=DataProtectionRegime.choices,
        default=DataProtectionRegime.GDPR,
    )
    legal_basis_text = models.TextField(
        _("legal basis text"),
        blank=True,
        help_text=_("Shown to learners where their data is processed or shared."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    personal_data = False  # organisations; their contact is an office address

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organisation_unique_name_kind")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Location(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="locations",
    )
    name = models.CharField(_("name"), max_length=200, validators=[no_bidi_controls])
    street = models.CharField(_("street"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100)
    state = models.CharField(
        _("federal state"), max_length=2, choices=FederalState.choices, default=FederalState.SH
    )
    step_free = models.BooleanField(_("step-free access"), default=False)

    personal_data = False

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["town", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="location_unique_name_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.town}"

    @property
    def address_line(self) -> str:
        """Name, street and town in one line: one German run inside a right-to-left page."""
        return ", ".join(part for part in (self.name, self.street, self.town) if part)


class Membership(models.Model):
    """A user's role in an organisation; one user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    retention = Retention("user_accounts", follows="user")

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


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
