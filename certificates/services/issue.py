"""Issuing documents: a certificate rendered here (participation, internship), a document
another app renders (a proof of volunteering), and the participation PDF the Jobcenter portal
downloads."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import KINDS_WITHOUT_LEARNER, Document, Kind
from certificates.rendering import render_documents
from certificates.selectors import certifiable_enrolment
from certificates.services.base import (
    CertificateError,
    actor,
    check_language,
    check_scope,
    internship_item,
    new_code,
    participation_items,
    store,
)
from courses.models import Course, Module
from people.models import Learner, Organisation, User


def prepare(
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
        check_scope(learner=learner, course=course, module=module)
        enrolment = certifiable_enrolment(learner=learner, course=course)
        if enrolment is None:
            raise CertificateError(
                _("The learner did not take part in this course."),
                code="not_enrolled",
                field="learner",
            )
        enrolment.learner = learner
        return participation_items(
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
        item = internship_item(placement)
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
    language = check_language(language)
    item = prepare(
        kind=kind, learner=learner, course=course, module=module, placement=placement, until=until
    )
    item["code"] = new_code()
    item["version"] = (previous.version + 1) if previous else 1
    item["issued_on"] = timezone.localdate()
    item["kind"] = kind
    _, pdfs = render_documents([item], language=language)
    with actor(by):
        return store(
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
    with actor(by):
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
