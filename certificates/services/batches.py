"""Certificates for a whole course: queued, then issued as a background task with its progress
on the batch row."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import CertificateBatch, Kind
from certificates.rendering import join_documents, layout_documents, write_pages
from certificates.selectors import course_certifiable_enrolments
from certificates.services.base import (
    CertificateError,
    actor,
    check_language,
    new_code,
    participation_items,
    store,
)
from courses.models import Course, Module
from people.models import User

BATCH_CHUNK = 25  # one layout pass for a full course (at most 25 learners)


@transaction.atomic
def certificate_batch_start(
    *, course: Course, by: User, module: Module | None = None, language: str | None = None
) -> CertificateBatch:
    """Queue participation certificates for every enrolled learner of a course.

    The work runs as a background task after commit; the batch row carries its progress.
    """
    language = check_language(language)
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
            items = participation_items(
                course=course, enrolments=chunk, module=batch.module, until=until
            )
            today = timezone.localdate()
            for item in items:
                item.update(code=new_code(), version=1, issued_on=today, kind=Kind.PARTICIPATION)
            document, groups = layout_documents(items, language=batch.language)
            rendered.append(document)
            for item, pages in zip(items, groups, strict=True):
                pdf = write_pages(document, pages)
                with transaction.atomic(), actor(by):
                    store(
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
