"""Revoking a document and correcting it (a new version that revokes the old one)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from certificates.models import Document
from certificates.services.base import CertificateError, actor
from certificates.services.issue import certificate_issue
from core.errors import ConflictError
from core.validators import text_within
from people.models import User

REVOKE_REASON_LIMIT = Document._meta.get_field("revoke_reason").max_length or 300


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
    with actor(by):
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
