"""Who read what: the access log, webhooks and deliveries, and every external read as the learner
sees it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from jobcenter.models import (
    AccessLogEntry,
    AccessLogRecord,
    JobcenterLink,
    Webhook,
    WebhookDelivery,
)
from people.models import Learner

# Used only when no ParticipationRule row applies (the rule table is the place to set it).

# --- access log -------------------------------------------------------------------------------


def access_log_for_learner(learner: Learner, *, limit: int = 200) -> QuerySet[AccessLogRecord]:
    """Who at which Jobcenter saw which of the learner's data, newest first."""
    return (
        AccessLogRecord.objects.filter(learner=learner)
        .select_related("entry__jobcenter", "entry__user", "entry__api_key")
        .order_by("-entry__at", "-pk")[:limit]
    )


def webhooks_for_jobcenter(jobcenter_id: int) -> QuerySet[Webhook]:
    return Webhook.objects.filter(jobcenter_id=jobcenter_id, is_active=True).order_by("pk")


def deliveries_for_jobcenter(jobcenter_id: int) -> QuerySet[WebhookDelivery]:
    return (
        WebhookDelivery.objects.filter(webhook__jobcenter_id=jobcenter_id)
        .select_related("webhook", "event", "notice")
        .order_by("-created_at", "-pk")
    )


# --- what the learner sees: every external read ---------------------------------------------------


#: What each kind of read was for, in the learner's words.
PURPOSES: dict[str, StrOrPromise] = {
    "verification": _("checked whether you are registered and take part in your course"),
    "feed": _("read a notice about a change, for example a new course"),
    "document": _("downloaded a document about your course"),
    "portal": _("looked you up in the caseworker portal"),
    "webhook": _("was told that something changed (without details)"),
    "referral_received": _("received your referral to its courses"),
    "referral_followed": _("followed the referral it sent you with"),
}
#: A referral read carries its legal basis among its fields (``basis.consent`` or
#: ``basis.obligation``): the reader is a provider or counsellor, not a linked Jobcenter.
REFERRAL_BASIS = {
    "basis.consent": _("you agreed to it"),
    "basis.obligation": _("the Jobcenter obliged you to take the course"),
}
BASIS_WORDS: dict[str, StrOrPromise] = {
    JobcenterLink.Basis.OBLIGATION: _("the Jobcenter obliged you to take the course"),
    JobcenterLink.Basis.CONSENT: _("you agreed to it"),
}


@dataclass(frozen=True)
class ExternalRead:
    """One read of the learner's data by an organisation outside the provider."""

    at: datetime
    organisation: str
    purpose: str
    basis: str
    fields: list[str]


def _basis_words(bases: dict[int, str], jobcenter_id: int | None) -> str:
    """Why the Jobcenter may read (its link's basis), in the learner's words; "" if unknown."""
    basis = bases.get(jobcenter_id) if jobcenter_id is not None else None
    return str(BASIS_WORDS.get(basis, "")) if basis is not None else ""


def _purpose_of(entry_channel: str, path: str, fields: list[str]) -> StrOrPromise:
    if any(f in ("referral.status", "referral.progress") for f in fields):
        return PURPOSES["referral_followed"]
    if entry_channel == AccessLogEntry.Channel.REFERRAL:
        return PURPOSES["referral_received"]
    if any(f.startswith("pdf.") for f in fields):
        return PURPOSES["document"]
    if entry_channel == "portal":
        return PURPOSES["portal"]
    if "/events/" in path:
        return PURPOSES["feed"]
    return PURPOSES["verification"]


def _basis_of(fields: list[str]) -> str:
    for name in fields:
        if name in REFERRAL_BASIS:
            return str(REFERRAL_BASIS[name])
    return ""


def external_reads_for_learner(learner: Learner, *, limit: int = 200) -> list[ExternalRead]:
    """Every read of the learner's data from outside the provider, newest first (DESIGN.md §3):
    Jobcenter lookups by API and portal, feed reads and document downloads from the access log,
    reads of a referral of the person by the receiving provider and the sender, and the webhook
    notices delivered about the learner. Three queries, whatever the number.

    ``fields`` are the names the access log keeps; the page turns them into words.
    """
    bases: dict[int, str] = dict(
        JobcenterLink.objects.filter(learner=learner)
        .order_by("created_at", "pk")
        .values_list("jobcenter_id", "basis")
    )
    reads = [
        ExternalRead(
            at=row.entry.at,
            organisation=str(row.entry.jobcenter or "–"),
            purpose=str(_purpose_of(row.entry.channel, row.entry.path, row.fields)),
            basis=str(_basis_of(row.fields) or _basis_words(bases, row.entry.jobcenter_id)),
            fields=list(row.fields),
        )
        for row in access_log_for_learner(learner, limit=limit)
    ]
    deliveries = (
        WebhookDelivery.objects.filter(
            event__learner=learner, status=WebhookDelivery.Status.DELIVERED
        )
        .select_related("webhook__jobcenter")
        .order_by("-delivered_at", "-pk")[:limit]
    )
    for d in deliveries:
        assert d.delivered_at is not None  # set with the status (services.webhooks)
        reads.append(
            ExternalRead(
                at=d.delivered_at,
                organisation=str(d.webhook.jobcenter),
                purpose=str(PURPOSES["webhook"]),
                basis=_basis_words(bases, d.webhook.jobcenter_id),
                fields=["event"],
            )
        )
    reads.sort(key=lambda r: r.at, reverse=True)
    return reads[:limit]
