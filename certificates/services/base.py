"""What every writer of certificates shares: the error, verification codes, the acting user for
the audit log, the checks of language and scope, a document's contents and its storage."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import date
from typing import Any

from auditlog.context import set_actor
from django.utils.translation import gettext as _

from certificates.models import CertificateBatch, Document
from certificates.rendering import SECOND_LANGUAGES
from certificates.selectors import participation_contents
from core.errors import DomainError
from courses.models import Course, Module
from people.models import Learner, User


class CertificateError(DomainError):
    pass


def new_code() -> str:
    """An unguessable verification code (128 random bits, URL-safe)."""
    return secrets.token_urlsafe(16)


def actor(by: User | None):
    return set_actor(by) if by is not None else contextlib.nullcontext()


def _initial_name(learner: Learner) -> str:
    initial = learner.first_name[:1].upper()
    return f"{initial}. {learner.last_name}" if initial else learner.last_name


def check_language(language: str | None) -> str:
    language = language or ""
    if language and language not in SECOND_LANGUAGES:
        raise CertificateError(
            _("This second language is not available for documents."),
            code="language_unavailable",
            field="language",
        )
    return language


def check_scope(*, learner: Learner, course: Course | None, module: Module | None) -> None:
    if course is not None and course.provider_id != learner.provider_id:
        raise CertificateError(
            _("The course belongs to another provider."), code="foreign_course", field="course"
        )
    if module is not None and (course is None or module.course_type_id != course.course_type_id):
        raise CertificateError(
            _("The module does not belong to the course."), code="foreign_module", field="module"
        )


def participation_items(
    *, course: Course, enrolments, module: Module | None, until: date | None
) -> list[dict[str, Any]]:
    contents = participation_contents(
        course=course, enrolments=enrolments, module=module, until=until
    )
    return [contents[e.pk] for e in enrolments]


def internship_item(placement) -> dict[str, Any]:
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


def store(
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
