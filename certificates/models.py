"""Issued documents (PDF, immutable, verifiable by code), course batches and test results."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.retention import Retention
from courses.models import Course, Level, Module
from people.models import Learner, Organisation


class TestResult(models.Model):
    """A recorded test result (DTZ, Leben in Deutschland, module test) shown on certificates."""

    __test__ = False  # not a pytest class

    class Exam(models.TextChoices):
        DTZ = "dtz", _("German test for immigrants (DTZ)")
        LID = "lid", _("Life in Germany test")
        MODULE = "module", _("Module test")
        OTHER = "other", _("Other test")

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="test_results"
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="test_results",
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("Kursabschnitt (module)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exam = models.CharField(_("exam"), max_length=20, choices=Exam.choices)
    taken_on = models.DateField(_("taken on"))
    result = models.CharField(_("result"), max_length=60, help_text=_("e.g. B1 or 25/33"))
    level = models.CharField(_("level reached"), max_length=4, choices=Level.choices, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    # Final test results belong to the course's BAMF records.
    retention = Retention(
        "attendance_records",
        runs_from=Coalesce("course__end_date", "taken_on"),
        provider="learner__provider",
        learner="learner",
        course="course",
    )

    class Meta:
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        ordering = ["taken_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_exam_display()}: {self.result}"


class Kind(models.TextChoices):
    PARTICIPATION = "participation", _("Certificate of participation")
    INTERNSHIP = "internship", _("Internship certificate")
    #: Rendered by the volunteers app (``document_issue_rendered``); about a volunteer, who
    #: need not be a learner, so the document has no learner.
    VOLUNTEERING = "volunteering", _("Proof of volunteering")


#: Kinds whose documents are about a person who need not be a learner of the provider.
KINDS_WITHOUT_LEARNER = (Kind.VOLUNTEERING,)


class DocumentQuerySet(models.QuerySet):
    def valid(self) -> DocumentQuerySet:
        return self.filter(revoked_at__isnull=True)


class ImmutableDocumentError(Exception):
    pass


class Document(models.Model):
    """An issued document. Its PDF, hash and verification facts never change after issue.

    A correction is a new version (``previous`` points back) and the old one is revoked; only the
    revocation fields may be written after creation.
    """

    REVOCATION_FIELDS = frozenset({"revoked_at", "revoked_by", "revoke_reason"})

    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("Empty only for a proof of volunteering."),
    )
    kind = models.CharField(_("document type"), max_length=20, choices=Kind.choices)
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("Kursabschnitt (module)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    placement = models.ForeignKey(
        "internships.Placement",
        verbose_name=_("internship placement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    language = models.CharField(
        _("second language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    code = models.CharField(_("verification code"), max_length=40, unique=True)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    facts = models.JSONField(
        _("verification facts"),
        default=dict,
        help_text=_("What the public verification page shows, fixed at issue."),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    batch = models.ForeignKey(
        "CertificateBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    objects = DocumentQuerySet.as_manager()

    retention = Retention(
        "issued_documents",
        runs_from="issued_at",
        provider="provider",
        learner="learner",
        course="course",
    )

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoke_reason=""),
                name="document_revocation_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(learner__isnull=False) | Q(kind__in=KINDS_WITHOUT_LEARNER),
                name="document_learner_unless_volunteering",
            ),
        ]
        indexes = [models.Index(fields=["provider", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.holder_name} · v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.REVOCATION_FIELDS:
                raise ImmutableDocumentError("Issued documents are immutable; issue a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Only the retention job removes documents, once their class is due (a bulk delete).
        raise ImmutableDocumentError("Issued documents are never deleted; revoke them.")

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def holder_name(self) -> str:
        """Whom the document is about: the learner, else the name in its facts."""
        return str(self.learner) if self.learner_id else self.facts.get("name", "")


class CertificateBatch(models.Model):
    """Certificates for a whole course, issued in the background and joined into one PDF."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )
    module = models.ForeignKey(
        Module,
        verbose_name=_("Kursabschnitt (module)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(
        _("second language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("documents"), default=0)
    done = models.PositiveIntegerField(_("documents done"), default=0)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # A batch PDF of a whole course is a print file: it goes soon.
    retention = Retention(
        "working_files", runs_from="created_at", provider="provider", course="course"
    )

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.course} · {self.created_at:%d.%m.%Y %H:%M}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
