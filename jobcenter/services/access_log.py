"""The access log: every read of learner data by a Jobcenter, which the learner can see (DESIGN §3)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from jobcenter.models import (
    AccessLogEntry,
    AccessLogRecord,
)
from jobcenter.selectors import LearnerRecord
from people.models import User


def access_log_write(
    *,
    channel: str,
    method: str,
    path: str,
    status_code: int,
    records: Iterable[LearnerRecord] = (),
    jobcenter_id: int | None = None,
    api_key_id: str | None = None,
    key_prefix: str = "",
    user: User | None = None,
) -> AccessLogEntry:
    """Log one request by a Jobcenter and each lookup/learner record it returned (DESIGN §3).

    The entry and its records are written together or not at all (one transaction).
    """
    records = list(records)
    entry = AccessLogEntry(
        channel=channel,
        jobcenter_id=jobcenter_id,
        api_key_id=api_key_id,
        key_prefix=key_prefix[:20],
        user=user if user is not None and user.is_authenticated else None,
        method=method[:10],
        path=path[:300],
        status_code=status_code,
        records=sum(1 for r in records if r.learner_id is not None or r.subject),
    )
    with transaction.atomic():
        entry.save(force_insert=True)
        AccessLogRecord.objects.bulk_create(
            [
                AccessLogRecord(
                    entry=entry,
                    learner_id=record.learner_id,
                    customer_number=record.customer_number[:30],
                    fields=record.fields,
                    subject=record.subject[:40],
                )
                for record in records
            ],
            batch_size=1000,
        )
    return entry


@transaction.atomic
def access_log_attach(*, subject: str, learner_id: int) -> int:
    """Give the reads of a record that had no learner yet (a referral before it was matched)
    to the learner it turned out to be, so that the learner's "who saw my data" shows them."""
    return AccessLogRecord.objects.filter(subject=subject, learner__isnull=True).update(
        learner_id=learner_id
    )
