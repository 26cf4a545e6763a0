"""Writes for certificates: issue, correct and revoke documents; course batches; test results.

Documents are immutable once issued: the PDF bytes, their SHA-256 and the facts the public
verification page shows are stored at issue. A correction issues a new version and revokes the
old one; both are recorded in the audit log and carry who and why.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections.abc import Callable
from datetime import date
from typing import Any

from auditlog.context import set_actor
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import (
    KINDS_WITHOUT_LEARNER,
    CertificateBatch,
    Document,
    Kind,
    TestResult,
)
from certificates.rendering import (
    SECOND_LANGUAGES,
    join_documents,
    layout_documents,
    render_documents,
    write_pages,
)
from certificates.selectors import (
    certifiable_enrolment,
    course_certifiable_enrolments,
    participation_contents,
)
from core.errors import ConflictError, DomainError
from core.validators import text_within
from courses.models import Course, Module
from people.models import Learner, Organisation, User

REVOKE_REASON_LIMIT = Document._meta.get_field("revoke_reason").max_length or 300
BATCH_CHUNK = 25  # one layout pass for a full course (at most 25 learners)


class CertificateError(DomainError):
    pass


def new_code() -> str:
    """An unguessable verification code (128 random bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def _actor(by: User | None):
    return set_actor(by) if by is not None else contextlib.nullcontext()


def _initial_name(learner: Learner) -> str:
    initial = learner.first_name[:1].upper()
    return f"{initial}. {learner.last_name}" if initial else learner.last_name


def _check_language(language: str | None) -> str:
    language = language or ""
    if language and language not in SECOND_LANGUAGES:
        raise CertificateError(
            _("This second language is not available for documents."),
            code="language_unavailable",
            field="language",
        )
    return language


def _check_scope(*, learner: Learner, course: Course | None, module: Module | None) -> None:
    if course is not None and course.provider_id != learner.provider_id:
        raise CertificateError(
            _("The course belongs to another provider."), code="foreign_course", field="course"
        )
    if module is not None and (course is None or module.course_type_id != course.course_type_id):
        raise CertificateError(
            _("The module does not belong to the course."), code="foreign_module", field="module"
        )


def _participation_items(
    *, course: Course, enrolments, module: Module | None, until: date | None
) -> list[dict[str, Any]]:
    contents = participation_contents(
        course=course, enrolments=enrolments, module=module, until=until
    )
    return [contents[e.pk] for e in enrolments]


def _internship_item(placement) -> dict[str, Any]:
    from internships.selectors import placement_certificate_contents

    return placement_certificate_contents(placement)


def _facts(item: dict[str, Any], kind: str) -> dict[str, str]:
    learner = item["learner"]
    return {
        "name": _initial_name(learner),
        "kind": kind,
        "course_type": item.get("course_type", ""),
        "module": item["module"].name if item.get("module") else "",
        "date_from": item["date_from"].isoformat() if item.get("date_from") else "",
        "date_to": item["date_to"].isoformat() if item.get("date_to") else "",
    }


def _store(
    *,
    item: dict[str, Any],
    pdf: bytes,
    kind: str,
    by: User | None,
    language: str,
    previous: Document | None = None,
    batch: CertificateBatch | None = None,
    placement=None,
) -> Document:
    learner = item["learner"]
    return Document.objects.create(
        provider_id=learner.provider_id,
        learner=learner,
        kind=kind,
        course=item.get("course"),
        module=item.get("module"),
        placement=placement,
        language=language,
        version=(previous.version + 1) if previous else 1,
        previous=previous,
        code=item["code"],
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        facts=_facts(item, kind),
        issued_by=by,
        batch=batch,
    )


def _prepare(
    *,
    kind: str,
    learner: Learner,
    course: Course | None,
    module: Module | None,
    placement,
    until: date | None,
) -> dict[str, Any]:
    if kind == Kind.PARTICIPATION:
        if course is None:
            raise CertificateError(_("Choose a course."), code="course_required", field="course")
        _check_scope(learner=learner, course=course, module=module)
        enrolment = certifiable_enrolment(learner=learner, course=course)
        if enrolment is None:
            raise CertificateError(
                _("The learner did not take part in this course."),
                code="not_enrolled",
                field="learner",
            )
        enrolment.learner = learner
        return _participation_items(
            course=course, enrolments=[enrolment], module=module, until=until
        )[0]
    if kind == Kind.INTERNSHIP:
        from internships.models import Placement

        if placement is not None:
            placement = Placement.objects.select_related("learner", "employer__provider").get(
                pk=placement.pk
            )
        if placement is None or placement.learner_id != learner.pk:
            raise CertificateError(
                _("Choose an internship of this learner."),
                code="placement_required",
                field="placement",
            )
        if placement.status not in (Placement.Status.RUNNING, Placement.Status.COMPLETED):
            raise CertificateError(
                _("An internship certificate needs a running or completed internship."),
                code="placement_not_started",
                field="placement",
            )
        item = _internship_item(placement)
        item["placement"] = placement
        return item
    raise CertificateError(_("Unknown document type."), code="unknown_kind", field="kind")


@transaction.atomic
def certificate_issue(
    *,
    kind: str,
    learner: Learner,
    course: Course | None = None,
    module: Module | None = None,
    placement=None,
    by: User | None,
    language: str | None = None,
    until: date | None = None,
    previous: Document | None = None,
) -> Document:
    """Issue one document (participation certificate or internship certificate) and store it.

    The PDF is rendered once and stored with its hash and the verification facts, so the
    document never changes; ``until`` (default today) is the day its figures are counted to.
    """
    language = _check_language(language)
    item = _prepare(
        kind=kind, learner=learner, course=course, module=module, placement=placement, until=until
    )
    item["code"] = new_code()
    item["version"] = (previous.version + 1) if previous else 1
    item["issued_on"] = timezone.localdate()
    item["kind"] = kind
    _, pdfs = render_documents([item], language=language)
    with _actor(by):
        return _store(
            item=item,
            pdf=pdfs[0],
            kind=kind,
            by=by,
            language=language,
            previous=previous,
            placement=item.get("placement"),
        )


@transaction.atomic
def document_issue_rendered(
    *,
    provider: Organisation,
    kind: str,
    facts: dict[str, str],
    render: Callable[[str], bytes],
    by: User | None,
    learner: Learner | None = None,
    language: str = "",
    previous: Document | None = None,
) -> Document:
    """Store a document another app renders itself (a proof of volunteering), verifiable by code.

    ``render(code)`` returns the PDF showing the verification code (and its QR, from
    ``rendering.verify_url``); the document is then stored like every other — immutable, with
    its hash, and with ``facts`` (name as initial and surname, dates) for the public page at
    ``/verify/<code>``. A new version revokes nothing by itself: the caller revokes the old one.
    """
    if kind not in KINDS_WITHOUT_LEARNER and learner is None:
        raise CertificateError(_("Choose a learner."), code="learner_required", field="learner")
    code = new_code()
    pdf = render(code)
    with _actor(by):
        return Document.objects.create(
            provider=provider,
            learner=learner,
            kind=kind,
            language=language,
            version=(previous.version + 1) if previous else 1,
            previous=previous,
            code=code,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            facts={"kind": kind, "course_type": "", "module": "", **facts},
            issued_by=by,
        )


@transaction.atomic
def certificate_revoke(*, document: Document, by: User | None, reason: str) -> Document:
    """Revoke a document: the verification page shows it as revoked from now on.

    Who and why are stored on the document and in the audit log; the PDF stays as issued.
    ``by`` is None when no person revokes (a proof issued again replaces the earlier one).
    """
    if not reason.strip():
        raise CertificateError(
            _("Give a reason for revoking."), code="reason_required", field="reason"
        )
    too_long = text_within(reason.strip(), limit=REVOKE_REASON_LIMIT)
    if too_long:
        raise CertificateError(too_long, code="too_long", field="reason")
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.is_revoked:
        raise ConflictError(_("The document is already revoked."), code="already_revoked")
    document.revoked_at = timezone.now()
    document.revoked_by = by
    document.revoke_reason = reason.strip()
    with _actor(by):
        document.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return document


@transaction.atomic
def certificate_correct(
    *, document: Document, by: User, reason: str, language: str | None = None
) -> Document:
    """Issue a corrected new version of a document and revoke the old one, in one transaction."""
    if not reason.strip():
        raise CertificateError(
            _("Give a reason for the correction."), code="reason_required", field="reason"
        )
    # only the document's row is locked (its learner is optional: an outer join, which
    # PostgreSQL cannot lock)
    old = (
        Document.objects.select_for_update(of=("self",))
        .select_related("learner")
        .get(pk=document.pk)
    )
    if old.is_revoked:
        raise ConflictError(_("A revoked document cannot be corrected."), code="already_revoked")
    if old.learner is None:  # rendered by another app: it issues the new version itself
        raise CertificateError(
            _("This document is corrected where it was issued."), code="not_correctable"
        )
    new = certificate_issue(
        kind=old.kind,
        learner=old.learner,
        course=old.course,
        module=old.module,
        placement=old.placement,
        by=by,
        language=old.language if language is None else language,
        previous=old,
    )
    certificate_revoke(
        document=old,
        by=by,
        reason=_("Corrected by version %(v)s: %(reason)s")
        % {"v": new.version, "reason": reason.strip()},
    )
    return new


@transaction.atomic
def certificate_batch_start(
    *, course: Course, by: User, module: Module | None = None, language: str | None = None
) -> CertificateBatch:
    """Queue participation certificates for every enrolled learner of a course.

    The work runs as a background task after commit; the batch row carries its progress.
    """
    language = _check_language(language)
    if module is not None and module.course_type_id != course.course_type_id:
        raise CertificateError(
            _("The module does not belong to the course."), code="foreign_module", field="module"
        )
    total = len(course_certifiable_enrolments(course))
    if not total:
        raise CertificateError(
            _("Nobody in this course can receive a certificate yet."), code="batch_empty"
        )
    batch = CertificateBatch.objects.create(
        provider_id=course.provider_id,
        course=course,
        module=module,
        language=language,
        total=total,
        created_by=by,
    )
    from certificates.tasks import certificate_batch_task

    transaction.on_commit(lambda: certificate_batch_task.enqueue(batch_id=batch.pk))
    return batch


def certificate_batch_run(
    *, batch: CertificateBatch, until: date | None = None
) -> CertificateBatch:
    """Issue the batch's certificates, saving progress after each document, then join them.

    A course is laid out in one pass (fonts and styles load once); each learner's pages are then
    written and stored as their own document in its own transaction, so the progress page sees
    every step. A failure marks the batch failed and keeps the documents already issued (they are
    valid documents).
    """
    CertificateBatch.objects.filter(pk=batch.pk).update(status=CertificateBatch.Status.RUNNING)
    batch.refresh_from_db()
    course = batch.course
    by = batch.created_by
    enrolments = course_certifiable_enrolments(course)
    CertificateBatch.objects.filter(pk=batch.pk).update(total=len(enrolments))
    rendered = []
    done = 0
    try:
        for start in range(0, len(enrolments), BATCH_CHUNK):
            chunk = enrolments[start : start + BATCH_CHUNK]
            items = _participation_items(
                course=course, enrolments=chunk, module=batch.module, until=until
            )
            today = timezone.localdate()
            for item in items:
                item.update(code=new_code(), version=1, issued_on=today, kind=Kind.PARTICIPATION)
            document, groups = layout_documents(items, language=batch.language)
            rendered.append(document)
            for item, pages in zip(items, groups, strict=True):
                pdf = write_pages(document, pages)
                with transaction.atomic(), _actor(by):
                    _store(
                        item=item,
                        pdf=pdf,
                        kind=Kind.PARTICIPATION,
                        by=by,
                        language=batch.language,
                        batch=batch,
                    )
                    done += 1
                    CertificateBatch.objects.filter(pk=batch.pk).update(done=done)
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=CertificateBatch.Status.DONE,
            pdf=join_documents(rendered) if rendered else None,
            finished_at=timezone.now(),
        )
    except Exception as exc:
        CertificateBatch.objects.filter(pk=batch.pk).update(
            status=CertificateBatch.Status.FAILED,
            error=str(exc)[:2000],
            finished_at=timezone.now(),
        )
        raise
    batch.refresh_from_db()
    return batch


@transaction.atomic
def exam_result_record(
    *,
    learner: Learner,
    exam: str,
    taken_on: date,
    result: str,
    by: User | None,
    course: Course | None = None,
    module: Module | None = None,
    level: str = "",
    passed: bool | None = None,
) -> TestResult:
    """Record a test result; certificates issued later show it (issued ones never change)."""
    _check_scope(learner=learner, course=course, module=module)
    with _actor(by):
        return TestResult.objects.create(
            learner=learner,
            course=course,
            module=module,
            exam=exam,
            taken_on=taken_on,
            result=result,
            level=level,
            passed=passed,
            recorded_by=by,
        )


def participation_pdf_for_enrolment(enrolment) -> bytes:
    """The participation certificate PDF for an enrolment (for the Jobcenter portal).

    Reuses the learner's valid whole-course certificate issued today; otherwise issues a new one
    (issued by the system, no person), so repeated downloads do not pile up documents.
    """
    existing = (
        Document.objects.valid()
        .filter(
            learner_id=enrolment.learner_id,
            course_id=enrolment.course_id,
            kind=Kind.PARTICIPATION,
            module__isnull=True,
            language="",
            issued_at__date=timezone.localdate(),
        )
        .order_by("-issued_at")
        .values_list("pdf", flat=True)
        .first()
    )
    if existing is not None:
        return bytes(existing)
    document = certificate_issue(
        kind=Kind.PARTICIPATION, learner=enrolment.learner, course=enrolment.course, by=None
    )
    return bytes(document.pdf)
