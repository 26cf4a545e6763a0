"""Organisations, their locations and networks, user accounts and the roles they hold."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from core.validators import no_bidi_controls
from people.models.directory import (
    course_type_codes_valid,
    languages_valid,
    postcode_prefixes_valid,
    services_valid,
)
from people.rules import networks_valid


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
    classroom_networks = models.JSONField(
        _("classroom networks"),
        default=list,
        blank=True,
        validators=[networks_valid],
        help_text=_(
            "Addresses of the classroom Wi-Fi as seen by the server, e.g. 192.0.2.0/24. A QR "
            "check-in from elsewhere is flagged for the teacher to confirm. Empty: not checked."
        ),
    )

    # -- the network directory (public facts; see people.models.directory) --
    in_directory = models.BooleanField(
        _("shown in the network directory"),
        default=True,
        help_text=_("The public network directory lists the location with the facts below."),
    )
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, help_text=_("Empty: the provider's number.")
    )
    lift = models.BooleanField(_("lift"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet"), default=False)
    childcare = models.BooleanField(
        _("childcare"), default=False, help_text=_("Children are looked after during courses.")
    )
    languages = models.JSONField(
        _("languages spoken"),
        default=list,
        blank=True,
        validators=[languages_valid],
        help_text=_("ISO 639-1 codes of the languages spoken besides German, e.g. ar, fa, uk."),
    )
    services = models.JSONField(
        _("services offered"),
        default=list,
        blank=True,
        validators=[services_valid],
        help_text=_("Counselling and offers besides the courses, e.g. mbe, jmd, language_cafe."),
    )
    course_types = models.JSONField(
        _("course types offered"),
        default=list,
        blank=True,
        validators=[course_type_codes_valid],
        help_text=_(
            "Codes of the course types offered here even when no course is in the catalogue "
            "now; the catalogue's current courses are added on their own."
        ),
    )
    served_postcodes = models.JSONField(
        _("postcodes served"),
        default=list,
        blank=True,
        validators=[postcode_prefixes_valid],
        help_text=_(
            "Postcodes (25421) or their first digits (254: every postcode 254xx) of the "
            "places this location is responsible for; the directory lists it first there."
        ),
    )
    directory_note = models.CharField(
        _("note in the directory"),
        max_length=300,
        blank=True,
        validators=[no_bidi_controls],
        help_text=_("Public, e.g. “Counselling without appointment on Tuesdays”."),
    )

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
