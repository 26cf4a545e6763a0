"""Claims per module: the claim, its frozen lines with the rule versions, pre-check findings, correction notes and own-contribution payments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models.rules import CLAIM_COURSE_END, OwnContribution, ReimbursementRate
from core.retention import Retention
from courses.models import Course, Module, Session
from enrolment.models import Enrolment


class Claim(models.Model):
    """The claim for one module of one course. A draft is recomputed from the register whenever
    it is opened; once issued its lines are stored and never change (corrections to the register
    afterwards become correction notes)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="claims"
    )
    module = models.ForeignKey(
        Module, verbose_name=_("module"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    first_day = models.DateField(_("first day"), null=True, blank=True)
    last_day = models.DateField(_("last day"), null=True, blank=True)
    group_size = models.PositiveSmallIntegerField(_("group size"), default=0)
    reimbursement_total = models.DecimalField(
        _("reimbursement"), max_digits=10, decimal_places=2, default=0
    )
    contribution_total = models.DecimalField(
        _("own contributions"), max_digits=10, decimal_places=2, default=0
    )
    bamf_course_number = models.CharField(_("BAMF course number"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # A BAMF billing record: 5 years after the end of the course (AbrRL), then the staff member's
    # name goes; the figures stay for the revenue reports.
    retention = Retention(
        "attendance_records",
        runs_from=CLAIM_COURSE_END,
        provider="course__provider",
        course="course",
        anonymise={"issued_by": None},
    )

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["course", "module__order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "module"], name="billing_claim_per_module"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(issued_at__isnull=False),
                name="billing_claim_issued_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} · {self.module.name}"

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.ISSUED


class ClaimLine(models.Model):
    """One learner's figures on an issued claim for the days one set of rule versions was in
    force (a module spanning a rule change has two lines for a learner)."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="lines"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="+"
    )
    learner_name = models.CharField(_("learner"), max_length=201)
    bamf_number = models.CharField(_("BAMF participant number"), max_length=30, blank=True)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("until"))
    ue_held = models.PositiveIntegerField(_("UE held"))
    ue_attended = models.DecimalField(_("UE attended"), max_digits=7, decimal_places=2)
    billable_ue = models.DecimalField(_("billable UE"), max_digits=7, decimal_places=2)
    rate = models.ForeignKey(
        ReimbursementRate, verbose_name=_("rate"), on_delete=models.PROTECT, related_name="+"
    )
    rate_amount = models.DecimalField(_("rate per UE"), max_digits=6, decimal_places=2)
    reimbursement = models.DecimalField(_("reimbursement"), max_digits=9, decimal_places=2)
    contribution = models.ForeignKey(
        OwnContribution,
        verbose_name=_("own contribution rule"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    contribution_amount = models.DecimalField(
        _("own contribution per UE"), max_digits=6, decimal_places=2, default=0
    )
    own_contribution = models.DecimalField(
        _("own contribution due"), max_digits=9, decimal_places=2, default=0
    )
    exempt = models.BooleanField(_("exempt"), default=False)
    exemption_ground = models.CharField(_("exemption ground"), max_length=40, blank=True)
    code_rules = models.JSONField(
        _("code rules"), default=list, help_text=_("Ids of the billable-code versions applied.")
    )
    travel_days = models.PositiveSmallIntegerField(_("travel subsidy days"), default=0)
    travel_subsidy = models.DecimalField(
        _("travel subsidy"), max_digits=8, decimal_places=2, default=0
    )
    travel_rule = models.ForeignKey(
        "billing.TravelSubsidyRule",
        verbose_name=_("travel subsidy rule"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    # Part of the claim (AbrRL, 5 years after the course); the name and number go then, the
    # figures stay for the revenue reports.
    retention = Retention(
        "attendance_records",
        runs_from=Coalesce("claim__course__end_date", "claim__course__start_date"),
        provider="claim__course__provider",
        learner="enrolment__learner",
        course="claim__course",
        anonymise={"learner_name": "", "bamf_number": ""},
    )

    class Meta:
        verbose_name = _("claim line")
        verbose_name_plural = _("claim lines")
        ordering = ["claim", "learner_name", "period_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "enrolment", "period_from"], name="billing_line_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.learner_name} · {self.period_from:%d.%m.%Y}"


class Finding(models.Model):
    """A pre-check finding on a claim: what is wrong, for which learner and day, and — once staff
    decided to bill anyway — who acknowledged it and why."""

    class Kind(models.TextChoices):
        UNSIGNED_DAY = "unsigned_day", _("Course day not signed")
        MISSING_CODE = "missing_code", _("No code on a held day")
        LATE_ENTRY = "late_entry", _("Late entry after the first UE of the module")
        NO_CERTIFICATE = "no_certificate", _("Illness beyond the third day without certificate")
        NO_COURSE_NUMBER = "no_course_number", _("BAMF course number missing")
        NO_LEARNER_NUMBER = "no_learner_number", _("BAMF participant number missing")
        UNCONFIRMED_CHECKIN = "unconfirmed_checkin", _("Check-in never confirmed by the teacher")
        NO_START_REPORT = "no_start_report", _("Learner joined without a course-start report")
        NO_FEE_RULE = "no_fee_rule", _("Test held without a fee rule in force")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="findings"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("course day"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    #: What a finding concerns beyond the learner and the course day: the test (``placement``,
    #: ``dtz``, ``lid``) and its day, which need not be a course day.
    test = models.CharField(_("test"), max_length=20, blank=True)
    day = models.DateField(_("day"), null=True, blank=True)
    #: ``kind:enrolment:session`` (``:test:day`` added for a test) — one finding per defect
    #: (NULLs would not be unique).
    key = models.CharField(max_length=80, editable=False)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    retention = Retention(
        "attendance_records",
        follows="claim",
        provider="claim__course__provider",
        learner="enrolment__learner",
        course="claim__course",
    )

    class Meta:
        verbose_name = _("pre-check finding")
        verbose_name_plural = _("pre-check findings")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "key"], name="billing_finding_unique"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | ~Q(reason=""),
                name="billing_finding_ack_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.kind}"

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def test_label(self) -> str:
        from billing.models.fees import TestFee  # fees.py builds on this module

        return str(TestFee.Kind(self.test).label) if self.test in TestFee.Kind.values else ""

    @staticmethod
    def key_for(
        kind: str, enrolment_id: int | None, session_id: int | None, about: str = ""
    ) -> str:
        key = f"{kind}:{enrolment_id or ''}:{session_id or ''}"
        return f"{key}:{about}" if about else key


class CorrectionNote(models.Model):
    """The register changed after the claim was issued: the figures now differ from the issued
    ones. The issued lines stay as they were; this note says what a correction to BAMF needs."""

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.CASCADE, related_name="corrections"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    #: [{"enrolment": id, "learner": name, "field": …, "issued": …, "now": …}]
    changes = models.JSONField(_("changes"), default=list)
    fingerprint = models.CharField(max_length=64, editable=False)

    retention = Retention(
        "attendance_records",
        follows="claim",
        provider="claim__course__provider",
        course="claim__course",
    )

    class Meta:
        verbose_name = _("correction note")
        verbose_name_plural = _("correction notes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "fingerprint"], name="billing_correction_once_per_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} · {self.created_at:%d.%m.%Y %H:%M}"


class ContributionPayment(models.Model):
    """A learner's payment of the own contribution for a module, recorded by staff."""

    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        TRANSFER = "transfer", _("Bank transfer")
        OTHER = "other", _("Other")

    claim = models.ForeignKey(
        Claim, verbose_name=_("claim"), on_delete=models.PROTECT, related_name="payments"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount (€)"), max_digits=8, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    # A receipt: accounting records are kept 10 years after the end of the year (AO, HGB).
    retention = Retention(
        "accounting_records",
        runs_from="paid_on",
        provider="claim__course__provider",
        learner="enrolment__learner",
        course="claim__course",
    )

    class Meta:
        verbose_name = _("own contribution payment")
        verbose_name_plural = _("own contribution payments")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.amount} € · {self.paid_on:%d.%m.%Y}"
