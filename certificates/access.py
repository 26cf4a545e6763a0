"""The doors to issued documents and certificate batches.

Staff of the issuing provider, or the learner a document is about; 404 for everyone else, so a
foreign document cannot be told from a missing one.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from certificates.models import CertificateBatch, Document
from core.retention import unrestricted
from people.access import staff_provider_ids
from people.models import User


def documents_for_staff(*, user: User) -> QuerySet[Document]:
    """Issued documents of the providers where the user is staff (without the PDF bytes)."""
    return (
        unrestricted(Document.objects.filter(provider_id__in=staff_provider_ids(user)))
        .defer("pdf")
        .select_related("learner", "course", "module", "placement__employer", "revoked_by")
    )


def document_for_staff(*, user: User, pk: int) -> Document:
    """The document if the user is staff of its provider; 404 otherwise."""
    return get_object_or_404(documents_for_staff(user=user), pk=pk)


def document_for_download(*, user: User, pk: int) -> Document:
    """Staff of the provider, or the learner the document is about; 404 for everyone else."""
    staff = staff_provider_ids(user)
    qs = unrestricted(Document.objects.select_related("learner"))
    document = qs.filter(pk=pk).first()
    if document is None:
        raise Http404
    if document.provider_id in staff:
        return document
    learner = document.learner
    if learner is not None and learner.user_id is not None and learner.user_id == user.pk:
        return document
    raise Http404


def batch_for_staff(*, user: User, pk: int) -> CertificateBatch:
    qs = CertificateBatch.objects.filter(provider_id__in=staff_provider_ids(user))
    return get_object_or_404(qs.defer("pdf").select_related("course"), pk=pk)
