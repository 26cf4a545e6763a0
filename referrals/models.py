"""Referrals across the network and the person's consent to them.

A referral carries a minimum data set about the person (name, date of birth, contact,
languages, level, obligation, a note the person agreed to share), the sending organisation (a
provider's counselling service or a Jobcenter) and user, the receiving provider, a purpose, its
status (``referrals.transitions``) with the date of every step, and, once the receiving staff
confirm it, the learner record it belongs to at the receiver.

The receiver sees the personal data only as far as a valid legal basis allows: the person's
unrevoked consent (granular: which data items) or, for a Jobcenter referral of an obliged client,
the obligation. A revoked consent hides the data at once (``Referral.shared_items``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from core.validators import no_bidi_controls
from courses.models import Course, Level
from people.models import Learner, Location, Organisation
from referrals.transitions import Status as Step

PROVIDERS_ONLY = {"kind": Organisation.Kind.PROVIDER}


class Status(models.TextChoices):
    """The referral's steps (the values of ``referrals.transitions.Status``)."""

    SENT = Step.SENT.value, _("sent")
    ACCEPTED = Step.ACCEPTED.value, _("accepted")
    DECLINED = Step.DECLINED.value, _("declined")
    TEST_BOOKED = Step.TEST_BOOKED.value, _("placement test booked")
    WAITING_LISTED = Step.WAITING_LISTED.value, _("on the waiting list")
    ENROLLED = Step.ENROLLED.value, _("enrolled")
    COURSE_STARTED = Step.COURSE_STARTED.value, _("course started")
    CLOSED = Step.CLOSED.value, _("closed")


#: The date field that records when a referral reached each step.
STEP_DATE_FIELDS: dict[str, str] = {
    Status.SENT: "sent_at",
    Status.ACCEPTED: "accepted_at",
    Status.DECLINED: "declined_at",
    Status.TEST_BOOKED: "test_booked_at",
    Status.WAITING_LISTED: "waiting_listed_at",
    Status.ENROLLED: "enrolled_at",
    Status.COURSE_STARTED: "course_started_at",
    Status.CLOSED: "closed_at",
}

#: Steps in which a referral waits for someone to act: it is flagged when it rests there too
#: long. Enrolled and started referrals move on with the course itself.
STALL_STEPS = frozenset(
    {Status.SENT, Status.ACCEPTED, Status.DECLINED, Status.TEST_BOOKED, Status.WAITING_LISTED}
)


class Purpose(models.TextChoices):
    PLACEMENT_TEST = "placement_test", _("Placement test")
    COURSE_TYPE = "course_type", _("A course of a type and level")
    COURSE = "course", _("A specific course")
    INTERNSHIP = "internship", _("Internship")
    LANGUAGE_CAFE = "language_cafe", _("Language café")
    BUDDY = "buddy", _("Language buddy")


class Obligation(models.TextChoices):
    NONE = "", _("none")
    JOBCENTER = "jobcenter", _("Obliged by the Jobcenter")
    IMMIGRATION_OFFICE = "abh", _("Obliged by the immigration office (ABH)")
    ASYLUM_BENEFITS_OFFICE = "asylblg", _("Obliged by the asylum benefits office")


class DeclineReason(models.TextChoices):
    NO_PLACES = "no_places", _("No places in the coming months")
    NOT_OFFERED = "not_offered", _("We do not offer this")
    NOT_ELIGIBLE = "not_eligible", _("No entitlement or obligation for this course")
    LEVEL = "level", _("Level does not fit our courses")
    NOT_REACHABLE = "not_reachable", _("Person could not be reached")
    PERSON_DECLINED = "person_declined", _("Person declined")
    ALREADY_KNOWN = "already_known", _("Already enrolled or referred here")
    OTHER = "other", _("Other reason")


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Course completed")
    STARTED = "started", _("Course started, hand-over done")
    WITHDRAWN = "withdrawn", _("Withdrew from the course")
    DECLINED = "declined", _("Declined by the receiving provider")
    NOT_REACHED = "not_reached", _("Person did not come or could not be reached")
    PERSON_DECLINED = "person_declined", _("Person no longer wants it")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
    CONSENT_REVOKED = "consent_revoked", _("Consent revoked")
    OTHER = "other", _("Other")


class DataItem(models.TextChoices):
    """What the person agreed to share with the receiver, item by item (the consent's scope)."""

    IDENTITY = "identity", _("Name and date of birth")
    CONTACT = "contact", _("Phone and e-mail")
    LANGUAGES = "languages", _("Languages spoken")
    LEVEL = "level", _("German level")
    NOTE = "note", _("Note of the sender")
    #: the sender may see the course and its dates at the receiver (never attendance)
    PROGRESS = "progress", _("Course and dates back to the sender")


#: What a reporting duty (an obligation by the sending Jobcenter) covers without consent.
OBLIGATION_ITEMS = frozenset(
    {DataItem.IDENTITY, DataItem.CONTACT, DataItem.LANGUAGES, DataItem.LEVEL}
)

#: The personal fields behind each item (hidden from the receiver without a basis).
ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    DataItem.IDENTITY: ("first_name", "last_name", "date_of_birth", "customer_number"),
    DataItem.CONTACT: ("phone", "email"),
    DataItem.LANGUAGES: ("languages",),
    DataItem.LEVEL: ("level",),
    DataItem.NOTE: ("note",),
}


class ReferralQuerySet(models.QuerySet):
    def open(self) -> ReferralQuerySet:
        return self.exclude(status=Status.CLOSED)

    def stalled(self) -> ReferralQuerySet:
        return self.filter(stalled_at__isnull=False).exclude(status=Status.CLOSED)


class Referral(models.Model):
    sender_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_sent",
    )
    receiver = models.ForeignKey(
        Organisation,
        verbose_name=_("receiving provider"),
        on_delete=models.PROTECT,
        related_name="referrals_received",
        limit_choices_to=PROVIDERS_ONLY,
    )
    receiver_location = models.ForeignKey(
        Location,
        verbose_name=_("location of the receiving provider"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_received",
        help_text=_("The place chosen in the network directory, if any."),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    course_type_code = models.SlugField(_("course type"), max_length=40, blank=True)
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    client_reference = models.CharField(
        _("client reference"),
        max_length=60,
        blank=True,
        help_text=_("The sender's own reference; a repeated request with it changes nothing."),
    )
    # --- the minimum data set ---
    first_name = models.CharField(_("first name"), max_length=100, validators=[no_bidi_controls])
    last_name = models.CharField(_("last name"), max_length=100, validators=[no_bidi_controls])
    date_of_birth = models.DateField(_("date of birth"), null=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, validators=[no_bidi_controls]
    )
    level = models.CharField(_("German level"), max_length=4, choices=Level.choices, blank=True)
    obligation = models.CharField(
        _("obligation"), max_length=20, choices=Obligation.choices, blank=True
    )
    customer_number = models.CharField(
        _("customer number (Kundennummer)"), max_length=30, blank=True
    )
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=2000,
        help_text=_("Only what the person agreed to share."),
    )
    # --- the receiver ---
    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("matched by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)
    receiver_note = models.TextField(
        _("note of the receiving provider"),
        blank=True,
        max_length=2000,
        help_text=_("Never shown to the sender."),
    )
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # --- status and the date of every step ---
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SENT
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    test_booked_at = models.DateTimeField(_("placement test booked at"), null=True, blank=True)
    waiting_listed_at = models.DateTimeField(_("waiting-listed at"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), null=True, blank=True)
    course_started_at = models.DateTimeField(_("course started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    last_moved_at = models.DateTimeField(_("last step at"), default=timezone.now)
    stalled_at = models.DateTimeField(
        _("flagged as stalled at"),
        null=True,
        blank=True,
        help_text=_("Set once when the referral rests too long; cleared by the next step."),
    )

    objects = ReferralQuerySet.as_manager()

    #: Set by ``referral_create``: False when a repeat with the same client reference found the
    #: first referral.
    was_created: bool = True
    #: Set by ``referral_create`` for a consent the person confirms with a code: the plain
    #: code, to hand over once (only its hash is stored).
    consent_code: str = ""

    # A year after it was closed (or declined, which ends it for the receiver), for follow-up
    # questions; then deleted with its consents (privacy 0002, class "referrals").
    retention = Retention(
        "referrals",
        runs_from=Coalesce("closed_at", "declined_at"),
        provider="receiver",
        learner="learner",
        course="course",
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sender_organisation", "client_reference"],
                condition=~Q(client_reference=""),
                name="referral_unique_client_reference",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="referral_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.DECLINED) | ~Q(decline_reason=""),
                name="referral_declined_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["receiver", "status"]),
            models.Index(fields=["sender_organisation", "sender"]),
            models.Index(fields=["learner", "status"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.get_status_display()}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_obligation_referral(self) -> bool:
        """A Jobcenter's referral of a client it obliges: the obligation is the legal basis."""
        return self.obligation == Obligation.JOBCENTER and self.sent_by_jobcenter

    @property
    def sent_by_jobcenter(self) -> bool:
        return self.sender_organisation.kind == Organisation.Kind.JOBCENTER

    def active_consent(self) -> Consent | None:
        """The unrevoked consent in force: a login-code consent only once the person confirmed
        it (uses a prefetched ``consents`` when there is one)."""
        for consent in self.consents.all():
            if consent.revoked_at is None and not consent.is_pending:
                return consent
        return None

    def pending_consent(self) -> Consent | None:
        """The consent the person has yet to confirm with their code, if any."""
        for consent in self.consents.all():
            if consent.revoked_at is None and consent.is_pending:
                return consent
        return None

    def shared_items(self) -> frozenset[str]:
        """The data items the receiver may see now: the consent's (until revoked), or what an
        obligation by the sending Jobcenter covers."""
        items: set[str] = set()
        if self.is_obligation_referral:
            items |= OBLIGATION_ITEMS
        consent = self.active_consent()
        if consent is not None:
            items |= set(consent.items)
        return frozenset(items)

    def step_dates(self) -> list[tuple[str, object]]:
        """(label, when) of every step reached, in order."""
        return [
            (Status(step).label, getattr(self, field))
            for step, field in STEP_DATE_FIELDS.items()
            if getattr(self, field) is not None
        ]


class Consent(models.Model):
    """The person's consent to one referral: which data, to whom, for what, and how recorded.

    Revocable: a revoked consent stays as the record that it existed (Art. 7(1) GDPR) and hides
    the data at once. A narrower consent is a revocation and a new consent.
    """

    class Method(models.TextChoices):
        PAPER = "paper", _("Signed on paper (kept by the sender)")
        ON_SCREEN = "on_screen", _("Signed on the counsellor's screen")
        LOGIN_CODE = "login_code", _("Confirmed by the person with a login code")

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="consents"
    )
    items = models.JSONField(_("data shared"), default=list)
    recipient = models.ForeignKey(
        Organisation,
        verbose_name=_("to whom"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    purpose = models.CharField(_("for what"), max_length=20, choices=Purpose.choices)
    method = models.CharField(_("how recorded"), max_length=20, choices=Method.choices)
    legal_basis = models.TextField(
        _("legal basis"), blank=True, help_text=_("The sender's legal basis text at the time.")
    )
    data_protection_regime = models.CharField(_("data protection regime"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revocation recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # --- confirmed by the person with a code (method LOGIN_CODE): pending until then ---
    confirmed_at = models.DateTimeField(
        _("confirmed by the person at"),
        null=True,
        blank=True,
        help_text=_("Until the person confirms with their code, the receiver sees nothing."),
    )
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(_("code valid until"), null=True, blank=True)

    retention = Retention("referrals", follows="referral")

    class Meta:
        verbose_name = _("consent to a referral")
        verbose_name_plural = _("consents to referrals")
        ordering = ["-given_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(revoked_at__isnull=True),
                name="referral_one_active_consent",
            ),
            models.UniqueConstraint(
                fields=["code_hash"],
                condition=~Q(code_hash=""),
                name="referral_consent_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} · {self.given_at:%d.%m.%Y}"

    @property
    def is_pending(self) -> bool:
        """Recorded by the counsellor, not yet confirmed by the person with their code."""
        return self.method == self.Method.LOGIN_CODE and self.confirmed_at is None

    def item_labels(self) -> list[str]:
        return [str(DataItem(item).label) for item in self.items if item in DataItem.values]
