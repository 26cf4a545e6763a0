"""Reads of a referral's personal data, written to the one access log of the project (the
Jobcenter's ``AccessLogEntry``/``AccessLogRecord``), so that the person's "who saw my data" page
shows them beside the Jobcenter's reads.

Every reader of a referral stands outside the provider that holds the person's learner record:
the receiving provider's staff read what the sender handed over, the sender (counsellor or
caseworker) reads how far the referral got at the receiver. A referral not yet matched to a
learner is logged under its ``subject`` and given to the learner when staff match it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jobcenter.models import AccessLogEntry
from jobcenter.selectors import LearnerRecord
from jobcenter.services import access_log_attach, access_log_write
from people.models import Organisation, User
from referrals.models import ITEM_FIELDS, DataItem, Referral


def subject_of(referral: Referral) -> str:
    return f"referral:{referral.pk}"


def _basis(referral: Referral) -> str:
    if referral.is_obligation_referral and referral.active_consent() is None:
        return "basis.obligation"
    return "basis.consent"


@dataclass(frozen=True)
class Read:
    """One referral read, and the names of what was shown of the person."""

    referral: Referral
    fields: tuple[str, ...]


def received_fields(referral: Referral, items: Iterable[str], *, detail: bool) -> tuple[str, ...]:
    """What the receiver saw of the person: the list shows the name, the detail page every item
    the consent (or obligation) covers that has a value."""
    shown = set(items)
    if not detail:
        shown &= {DataItem.IDENTITY}
    names = [
        f"referral.{item}"
        for item in ITEM_FIELDS
        if item in shown and any(getattr(referral, name) for name in ITEM_FIELDS[item])
    ]
    return tuple(names)


def referral_reads_log(
    *,
    reads: Sequence[Read],
    user: User,
    organisation: Organisation,
    method: str,
    path: str,
) -> AccessLogEntry | None:
    """One access log entry for a page, a record per referral that showed personal data. A
    caseworker reading their Jobcenter's referral is a Jobcenter portal read; everyone else's
    read is a network referral read by their organisation."""
    records = [
        LearnerRecord(
            learner_id=read.referral.learner_id,
            fields=[*read.fields, _basis(read.referral)],
            subject=subject_of(read.referral),
        )
        for read in reads
        if read.fields
    ]
    if not records:
        return None
    channel = (
        AccessLogEntry.Channel.PORTAL
        if organisation.kind == Organisation.Kind.JOBCENTER
        else AccessLogEntry.Channel.REFERRAL
    )
    return access_log_write(
        channel=channel,
        method=method,
        path=path,
        status_code=200,
        records=records,
        jobcenter_id=organisation.pk,
        user=user,
    )


def status_read_record(referral: Referral) -> LearnerRecord:
    """The access log record of a sender's read of the referral's status (the Jobcenter's API
    logs it with its own request)."""
    return LearnerRecord(
        learner_id=referral.learner_id,
        fields=["referral.status", _basis(referral)],
        subject=subject_of(referral),
    )


def referral_reads_attach(referral: Referral) -> int:
    """The referral was matched to a learner: its earlier reads become the learner's."""
    if referral.learner_id is None:
        return 0
    return access_log_attach(subject=subject_of(referral), learner_id=referral.learner_id)
