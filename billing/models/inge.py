"""The outbox of reports a provider makes to BAMF's InGe-Online, and the teachers' admissions the
course reports name.

A report is derived from the course data (course, modules and their days, enrolments, test
results): its ``values`` are recomputed while it is open and frozen the moment staff record that
it was entered in InGe ("sent on … by …"). InGe cannot correct a sent report in place, so a sent
report is never edited: a correction is a new report of the same kind that ``corrects`` it. The
form itself (field order, labels, what is required) lives in ``billing.inge.format`` only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import TestResult
from core.retention import Retention
from courses.models import Course, Module
from enrolment.models import Enrolment
from people.models import Organisation


class InGeReport(models.Model):
    """One report to InGe-Online: course start, start of a module, a learner's entry or exit, or
    a test registration."""

    class Kind(models.TextChoices):
        COURSE_START = "course_start", _("Course start (Kursbeginnmeldung)")
        MODULE_START = "module_start", _("Module start (Kursabschnitt)")
        ENTRY = "entry", _("Learner entry (Teilnehmereintritt)")
        EXIT = "exit", _("Learner exit (Teilnehmeraustritt)")
        TEST_ENTRY = "test_entry", _("Test registration (DTZ / LiD)")

    class Status(models.TextChoices):
        TODO = "todo", _("To do")
        READY = "ready", _("Ready")
        SENT = "sent", _("Sent")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="inge_reports"
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("Kursabschnitt (module)"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    test_result = models.ForeignKey(
        TestResult,
        verbose_name=_("test"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    #: What the report is about: ``kind:course:module:enrolment:test`` — one report per fact.
    key = models.CharField(max_length=80, editable=False)
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        related_name="corrections",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TODO
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    #: The form as shown: [{"key", "label", "value"}] in the form's order; frozen once sent.
    values = models.JSONField(_("values"), default=list, blank=True)
    #: How many required items are missing (shown in the list without recomputing).
    missing = models.PositiveSmallIntegerField(_("missing items"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    ready_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked ready by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    # A report to BAMF is part of the course's BAMF records (5 years after the course, like the
    # claim); then the names and numbers in the values and the staff members go, the row stays.
    retention = Retention(
        "attendance_records",
        runs_from=Coalesce("course__end_date", "course__start_date"),
        provider="course__provider",
        learner="enrolment__learner",
        course="course",
        anonymise={"values": [], "ready_by": None, "sent_by": None},
    )

    class Meta:
        verbose_name = _("InGe report")
        verbose_name_plural = _("InGe reports")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(corrects__isnull=True),
                name="billing_inge_report_once_per_fact",
            ),
            models.UniqueConstraint(
                fields=["corrects"],
                condition=~Q(status="sent"),
                name="billing_inge_one_open_correction",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | (Q(sent_on__isnull=False) & Q(sent_by__isnull=False)),
                name="billing_inge_sent_has_date_and_person",
            ),
        ]
        indexes = [models.Index(fields=["course", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.course_id} · {self.pk}"

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    @staticmethod
    def key_for(
        kind: str,
        course_id: int,
        module_id: int | None = None,
        enrolment_id: int | None = None,
        test_id: int | None = None,
    ) -> str:
        return f"{kind}:{course_id}:{module_id or ''}:{enrolment_id or ''}:{test_id or ''}"


class TeacherAdmission(models.Model):
    """A teacher's admission by BAMF to teach integration courses (Zulassung als Lehrkraft), as
    the provider has seen it: the course reports name the admission number."""

    provider = models.ForeignKey(
        Organisation,
        verbose_name=_("provider"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.CASCADE,
        related_name="bamf_admissions",
    )
    number = models.CharField(_("admission number"), max_length=40)
    admitted_on = models.DateField(_("admitted on"))
    expires_on = models.DateField(_("valid until"), null=True, blank=True)

    # Part of the teacher's account data with the provider: it goes with the account.
    retention = Retention("user_accounts", follows="teacher", provider="provider")

    class Meta:
        verbose_name = _("teacher admission (BAMF)")
        verbose_name_plural = _("teacher admissions (BAMF)")
        ordering = ["teacher", "-admitted_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "teacher"], name="billing_teacher_admission_once"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=models.F("admitted_on")),
                name="billing_teacher_admission_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.teacher} · {self.number}"

    def is_valid_on(self, day) -> bool:
        return self.admitted_on <= day and (self.expires_on is None or day <= self.expires_on)
