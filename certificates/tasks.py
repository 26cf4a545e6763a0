"""Background tasks of the certificates app (Django tasks framework)."""

from __future__ import annotations

from django.tasks import task


@task()
def certificate_batch_task(*, batch_id: int) -> int:
    """Issue a course batch of certificates; returns the number of documents issued."""
    from certificates.models import CertificateBatch
    from certificates.services import certificate_batch_run

    batch = CertificateBatch.objects.select_related("course", "module", "created_by").get(
        pk=batch_id
    )
    if batch.status != CertificateBatch.Status.PENDING:
        return batch.done
    return certificate_batch_run(batch=batch).done
