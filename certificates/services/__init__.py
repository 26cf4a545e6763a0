"""Writes for certificates: issue, correct and revoke documents; course batches; test results.

Documents are immutable once issued: the PDF bytes, their SHA-256 and the facts the public
verification page shows are stored at issue. A correction issues a new version and revokes the
old one; both are recorded in the audit log and carry who and why.
"""

from certificates.services.base import CertificateError, new_code
from certificates.services.batches import (
    BATCH_CHUNK,
    certificate_batch_run,
    certificate_batch_start,
)
from certificates.services.corrections import (
    REVOKE_REASON_LIMIT,
    certificate_correct,
    certificate_revoke,
)
from certificates.services.exams import exam_result_record
from certificates.services.issue import (
    certificate_issue,
    document_issue_rendered,
    participation_pdf_for_enrolment,
)

__all__ = [
    "BATCH_CHUNK",
    "REVOKE_REASON_LIMIT",
    "CertificateError",
    "certificate_batch_run",
    "certificate_batch_start",
    "certificate_correct",
    "certificate_issue",
    "certificate_revoke",
    "document_issue_rendered",
    "exam_result_record",
    "new_code",
    "participation_pdf_for_enrolment",
]
