"""Jobcenter links and consents, API keys, participation rules, feed sequence, access log, webhooks.

The Jobcenter sees a learner only through a valid ``JobcenterLink``: a reporting duty (the
learner is obliged by *that* Jobcenter) or the learner's recorded, unrevoked consent
(DESIGN.md §3). Every read by the Jobcenter is written to ``AccessLogEntry``/``AccessLogRecord``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

from core.retention import Retention
from people.models import Entitlement, Learner, LearnerEvent, Organisation

JOBCENTER_ONLY = {"kind": Organisation.Kind.JOBCENTER}


class ConsentScope(models.TextChoices):
    """What the learner agreed the Jobcenter may see; a reporting duty covers everything."""

    ENROLMENT = "enrolment", _("Enrolment status and course dates")
    PARTICIPATION = "participation", _("Enrolment and attendance figures")
    PARTICIPATION_INTERNSHIPS = (
        "participation_internships",
        _("Enrolment, attendance figures and internships"),
    )


# Which parts of a record each scope allows (obligation = the widest).
SCOPE_PARTS: dict[str, frozenset[str]] = {
    ConsentScope.ENROLMENT: frozenset({"enrolments"}),
    ConsentScope.PARTICIPATION: frozenset({"enrolments", "attendance"}),
    ConsentScope.PARTICIPATION_INTERNSHIPS: frozenset({"enrolments", "attendance", "internships"}),
}


def parts_for(basis: str, consent_scope: str) -> frozenset[str]:
    """The parts of a learner's record a link with this basis and scope lets the Jobcenter see."""
    if basis == "obligation":
        return SCOPE_PARTS[ConsentScope.PARTICIPATION_INTERNSHIPS]
    return SCOPE_PARTS.get(consent_scope, frozenset())


class JobcenterLinkQuerySet(models.QuerySet):
    def valid(self, *, on=None) -> JobcenterLinkQuerySet:
        """Links that allow the Jobcenter to see the learner today.

        Consent: recorded, given on or before today and not revoked. Obligation: the obliging
        entitlement by this Jobcenter is valid today. Either way the link itself is not ended.
        """
        on = on or timezone.localdate()
        consent = Q(
            basis=JobcenterLink.Basis.CONSENT,
            consent_given_on__lte=on,
            revoked_at__isnull=True,
        )
        obligation = (
            Q(basis=JobcenterLink.Basis.OBLIGATION, obligation__issued_on__lte=on)
            & (Q(obligation__expires_on__isnull=True) | Q(obligation__expires_on__gte=on))
            & Q(obligation__jobcenter_id=models.F("jobcenter_id"))
        )
        return self.filter(ended_at__isnull=True).filter(consent | obligation)


class JobcenterLink(models.Model):
    """A learner known to a Jobcenter under a customer number, with the legal basis to share."""

    class Basis(models.TextChoices):
        OBLIGATION = "obligation", _("Reporting duty (obligation by this Jobcenter)")
        CONSENT = "consent", _("Consent of the learner")

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="jobcenter_links"
    )
    jobcenter = models.ForeignKey(
        Organisation,
        verbose_name=_("Jobcenter"),
        on_delete=models.PROTECT,
        related_name="client_links",
        limit_choices_to=JOBCENTER_ONLY,
    )
    customer_number = models.CharField(_("customer number (Kundennummer)"), max_length=30)
    basis = models.CharField(_("legal basis"), max_length=20, choices=Basis.choices)
    obligation = models.ForeignKey(
        Entitlement,
        verbose_name=_("obligation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="jobcenter_links",
        help_text=_("The obligation by this Jobcenter that creates the reporting duty."),
    )
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_scope = models.CharField(
        _("consent scope"), max_length=30, choices=ConsentScope.choices, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("consent revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revocation recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = JobcenterLinkQuerySet.as_manager()

    # An ended or revoked link runs from its end; an open one goes with the learner.
    retention = (
        Retention(
            "learner_records",
            runs_from=Coalesce("ended_at", "revoked_at"),
            provider="learner__provider",
            learner="learner",
            where=Q(ended_at__isnull=False) | Q(revoked_at__isnull=False),
        ),
        Retention("learner_records", follows="learner", learner="learner"),
    )

    class Meta:
        verbose_name = _("Jobcenter link")
        verbose_name_plural = _("Jobcenter links")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "jobcenter"],
                condition=Q(ended_at__isnull=True, revoked_at__isnull=True),
                name="jobcenter_link_one_open_per_learner",
            ),
            models.CheckConstraint(
                condition=(
                    Q(basis="obligation", obligation__isnull=False)
                    | Q(basis="consent", consent_given_on__isnull=False) & ~Q(consent_scope="")
                ),
                name="jobcenter_link_basis_complete",
            ),
        ]
        indexes = [models.Index(fields=["jobcenter", "customer_number"])]

    def __str__(self) -> str:
        return f"{self.jobcenter} · {self.customer_number}"

    @property
    def parts(self) -> frozenset[str]:
        return parts_for(self.basis, self.consent_scope)


class ParticipationRule(models.Model):
    """Threshold for "proper participation" (rule data, valid from a date).

    The law sets no percentage; each obliging Jobcenter may set its own, the row without a
    Jobcenter is the default.
    """

    jobcenter = models.ForeignKey(
        Organisation,
        verbose_name=_("Jobcenter"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participation_rules",
        limit_choices_to=JOBCENTER_ONLY,
        help_text=_("Empty: the default for every Jobcenter."),
    )
    valid_from = models.DateField(_("valid from"))
    min_rate = models.DecimalField(
        _("minimum attendance rate"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("Share of held UE attended, e.g. 0.800."),
    )
    max_unexcused_days = models.PositiveSmallIntegerField(
        _("maximum unexcused days"), null=True, blank=True, help_text=_("Empty: no limit.")
    )

    personal_data = False

    class Meta:
        verbose_name = _("participation rule")
        verbose_name_plural = _("participation rules")
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "valid_from"], name="participation_rule_unique_version"
            ),
            models.CheckConstraint(
                condition=Q(min_rate__gte=0) & Q(min_rate__lte=1),
                name="participation_rule_rate_0_to_1",
            ),
        ]

    def __str__(self) -> str:
        label = self.jobcenter or _("default")
        return f"{label} · {self.valid_from} · {self.min_rate}"


class JobcenterAPIKey(AbstractAPIKey):
    """A Jobcenter's API key (stored hashed; shown once when created)."""

    jobcenter = models.ForeignKey(
        Organisation,
        verbose_name=_("Jobcenter"),
        on_delete=models.CASCADE,
        related_name="api_keys",
        limit_choices_to=JOBCENTER_ONLY,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    personal_data = False

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("Jobcenter API key")
        verbose_name_plural = _("Jobcenter API keys")


class FeedNotice(models.Model):
    """An event addressed to one Jobcenter about something it started itself, not about a
    linked learner: the status changes of its own referrals (``referrals`` writes them).

    The learner outbox cannot carry them: the referred person is often nobody's learner yet.
    ``data`` holds only what the sender may see: its reference, the step, dates, a decline
    reason or outcome code; never the receiver's notes or attendance.
    """

    class Type(models.TextChoices):
        REFERRAL_SENT = "referral_sent", _("referral sent")
        REFERRAL_ACCEPTED = "referral_accepted", _("referral accepted")
        REFERRAL_DECLINED = "referral_declined", _("referral declined")
        REFERRAL_TEST_BOOKED = "referral_test_booked", _("referral: placement test booked")
        REFERRAL_WAITING_LISTED = "referral_waiting_listed", _("referral: waiting-listed")
        REFERRAL_ENROLLED = "referral_enrolled", _("referral: enrolled")
        REFERRAL_COURSE_STARTED = "referral_course_started", _("referral: course started")
        REFERRAL_CLOSED = "referral_closed", _("referral closed")

    jobcenter = models.ForeignKey(
        Organisation,
        verbose_name=_("Jobcenter"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to=JOBCENTER_ONLY,
    )
    type = models.CharField(_("type"), max_length=40, choices=Type.choices)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    data = models.JSONField(_("data"), default=dict, blank=True)

    # Read by the Jobcenter within days; kept as long as a closed referral (privacy 0002).
    retention = Retention("referrals", runs_from="occurred_at")

    class Meta:
        verbose_name = _("feed notice")
        verbose_name_plural = _("feed notices")
        ordering = ["id"]
        indexes = [models.Index(fields=["jobcenter", "id"])]

    def __str__(self) -> str:
        return f"{self.type} · {self.jobcenter_id}"


class FeedEntry(models.Model):
    """Commit-ordered position of a learner event, or of a notice to one Jobcenter, in the
    Jobcenter feed (exactly one of the two).

    Written only by ``feed_sequence`` under one lock, so positions become visible in order:
    a reader that has seen position n will never later find a new position below n.
    """

    position = models.BigAutoField(primary_key=True)
    event = models.OneToOneField(
        LearnerEvent, null=True, on_delete=models.CASCADE, related_name="feed_entry"
    )
    notice = models.OneToOneField(
        FeedNotice, null=True, on_delete=models.CASCADE, related_name="feed_entry"
    )

    # A notice's entry goes with the notice (CASCADE).
    retention = Retention("learner_records", follows="event", learner="event__learner")

    class Meta:
        verbose_name = _("feed entry")
        verbose_name_plural = _("feed entries")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, notice__isnull=True)
                | Q(event__isnull=True, notice__isnull=False),
                name="feedentry_event_or_notice",
            )
        ]

    def __str__(self) -> str:
        return f"{self.position} → {self.event_id or self.notice_id}"


class AccessLogEntry(models.Model):
    """One request by a Jobcenter (API key or caseworker), whatever its outcome."""

    class Channel(models.TextChoices):
        API = "api", _("API")
        PORTAL = "portal", _("Caseworker portal")
        #: a referral read by someone outside the provider that holds the person's record (the
        #: receiving provider's staff, the sending counsellor); ``jobcenter`` names the reader's
        #: organisation, whatever its kind
        REFERRAL = "referral", _("Network referral")

    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    jobcenter = models.ForeignKey(
        Organisation,
        verbose_name=_("Jobcenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    api_key = models.ForeignKey(
        JobcenterAPIKey,
        verbose_name=_("API key"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # Indexed in Meta: on PostgreSQL the field's own index would come with a second,
        # pattern-matching one (for LIKE on a text key), updated on every logged request.
        db_index=False,
    )
    key_prefix = models.CharField(_("key prefix presented"), max_length=20, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=300)
    status_code = models.PositiveSmallIntegerField(_("status"))
    records = models.PositiveIntegerField(_("learner records returned"), default=0)

    # The request itself goes with its last learner row (see AccessLogRecord); one that
    # found nobody goes when the period ends.
    retention = Retention(
        "jobcenter_access_log", runs_from="at", where=Q(learner_rows__isnull=True)
    )

    class Meta:
        verbose_name = _("Jobcenter access")
        verbose_name_plural = _("Jobcenter access log")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["api_key"], name="jobcenter_accesslog_api_key")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.method} {self.path} {self.status_code}"

    @property
    def who(self) -> str:
        if self.user_id:
            return str(self.user)
        if self.api_key_id:
            return f"API key {self.api_key_id.partition('.')[0]}"
        return self.key_prefix or "-"


class AccessLogRecord(models.Model):
    """One lookup or learner record of a request, with the data fields returned.

    A verification writes one row per participant asked for, found or not, so a request costs
    the same whatever it finds.
    """

    entry = models.ForeignKey(AccessLogEntry, on_delete=models.CASCADE, related_name="learner_rows")
    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty when the lookup found nobody."),
        db_index=False,  # the (learner, entry) index serves lookups by learner
    )
    customer_number = models.CharField(_("customer number asked for"), max_length=30, blank=True)
    fields = models.JSONField(_("data fields"), default=list)
    subject = models.CharField(
        _("record read"),
        max_length=40,
        blank=True,
        help_text=_("What was read when no learner record exists yet, e.g. “referral:12”."),
    )

    retention = Retention(
        "jobcenter_access_log",
        runs_from="entry__at",
        provider="learner__provider",
        learner="learner",
    )

    class Meta:
        verbose_name = _("learner record shared")
        verbose_name_plural = _("learner records shared")
        ordering = ["-entry_id", "pk"]
        indexes = [
            models.Index(fields=["learner", "entry"]),
            models.Index(
                fields=["subject"], condition=~Q(subject=""), name="jobcenter_accesslog_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} · {self.learner_id}"


class Webhook(models.Model):
    """An HTTPS endpoint of a Jobcenter that gets thin, signed event notifications."""

    jobcenter = models.ForeignKey(
        Organisation,
        verbose_name=_("Jobcenter"),
        on_delete=models.CASCADE,
        related_name="webhooks",
        limit_choices_to=JOBCENTER_ONLY,
    )
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=100, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    personal_data = False

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One notification to one webhook, with its attempts (the delivery log): of a learner event
    or of a notice to the Jobcenter (its referral's step), exactly one of the two."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(LearnerEvent, null=True, on_delete=models.CASCADE, related_name="+")
    notice = models.ForeignKey(FeedNotice, null=True, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last HTTP status"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    retention = Retention(
        "webhook_deliveries",
        runs_from=Coalesce("delivered_at", "last_attempt_at", "created_at"),
        provider="event__learner__provider",
        learner="event__learner",
        where=Q(status__in=["delivered", "failed"]),
    )

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event"], name="webhook_delivery_once"),
            models.UniqueConstraint(
                fields=["webhook", "notice"], name="webhook_delivery_notice_once"
            ),
            models.CheckConstraint(
                condition=Q(event__isnull=False, notice__isnull=True)
                | Q(event__isnull=True, notice__isnull=False),
                name="webhookdelivery_event_or_notice",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.webhook_id} · {self.subject_id} · {self.status}"

    @property
    def subject_id(self) -> int:
        """The id the feed gives the announced item (event or notice)."""
        return self.event_id or self.notice_id or 0

    @property
    def subject_type(self) -> str:
        return self.event.type if self.event_id else self.notice.type if self.notice_id else ""
