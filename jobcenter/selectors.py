"""Reads for the Jobcenter: verification records, the event feed, the access log.

Everything a Jobcenter gets passes through ``verification_results`` or ``feed_events``; both
start from the caller's *valid* links, so nothing reaches a Jobcenter without a legal basis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from attendance.selectors import Figures, attendance_figures
from enrolment.models import Enrolment
from internships.models import Placement
from jobcenter.models import (
    AccessLogRecord,
    FeedEntry,
    JobcenterLink,
    ParticipationRule,
    Webhook,
    WebhookDelivery,
    parts_for,
)
from people.models import Learner, LearnerEvent

# Used only when no ParticipationRule row applies (the rule table is the place to set it).
FALLBACK_MIN_RATE = Decimal("0.800")

# How enrolment states read to the Jobcenter; "applied" (awaiting confirmation) is a wait too.
STATUS_FOR_JOBCENTER = {
    Enrolment.Status.APPLIED: "waitlisted",
    Enrolment.Status.WAITLISTED: "waitlisted",
    Enrolment.Status.OFFERED: "offered",
    Enrolment.Status.ENROLLED: "enrolled",
    Enrolment.Status.COMPLETED: "completed",
    Enrolment.Status.WITHDRAWN: "withdrawn",
}
# Enrolments whose attendance means something (the learner had a seat).
SEATED = {Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN}


@dataclass(frozen=True, slots=True)
class _EnrolmentRow:
    """The columns of an enrolment the Jobcenter answer needs (plain values, no model objects:
    a bulk answer touches thousands of rows)."""

    pk: int
    learner_id: int
    course_id: int
    status: str
    start_date: date | None
    ended_on: date | None
    course_type: str
    course_type_name: str
    provider_name: str
    provider_short_name: str
    location_name: str
    location_town: str
    course_start_date: date
    course_end_date: date | None
    ue_per_week: int


# The enrolment columns, named as the fields of _EnrolmentRow.
_ENROLMENT_COLUMNS = {
    "course_type": F("course__course_type__code"),
    "course_type_name": F("course__course_type__name"),
    "provider_name": F("course__provider__name"),
    "provider_short_name": F("course__provider__short_name"),
    "location_name": F("course__location__name"),
    "location_town": F("course__location__town"),
    "course_start_date": F("course__start_date"),
    "course_end_date": F("course__end_date"),
    "ue_per_week": F("course__ue_per_week"),
}

# A row that is always added to the figures call, so the queries run the same way whether or
# not anyone was found (same time class for "found" and "not found").
_PROBE = _EnrolmentRow(0, 0, 0, "enrolled", None, None, "", "", "", "", "", "", date.min, None, 0)


@dataclass
class Rule:
    min_rate: Decimal
    max_unexcused_days: int | None = None

    @classmethod
    def of(cls, min_rate: Decimal | None, max_unexcused_days: int | None) -> Rule:
        """The rule from a rule row's columns; ``FALLBACK_MIN_RATE`` when no row applies."""
        if min_rate is None:
            return cls(min_rate=FALLBACK_MIN_RATE)
        return cls(min_rate=min_rate, max_unexcused_days=max_unexcused_days)

    def proper(self, figures: Figures) -> bool | None:
        if figures.rate is None:
            return None
        if self.max_unexcused_days is not None and figures.unexcused_days > self.max_unexcused_days:
            return False
        return Decimal(str(figures.rate)) >= self.min_rate


def _rules_in_force(*, jobcenter_id: int, on: date) -> QuerySet:
    """Rule versions that apply on ``on``, the one in force first: the Jobcenter's own latest
    version, else the default's (no Jobcenter)."""
    return ParticipationRule.objects.filter(
        Q(jobcenter_id=jobcenter_id) | Q(jobcenter__isnull=True), valid_from__lte=on
    ).order_by(F("jobcenter_id").asc(nulls_last=True), "-valid_from")


def _valid_links(*, jobcenter_id: int, numbers: list[str], on: date) -> QuerySet[JobcenterLink]:
    """This Jobcenter's valid links with these customer numbers, with the learner's birth date."""
    return (
        JobcenterLink.objects.valid(on=on)
        .filter(jobcenter_id=jobcenter_id, customer_number__in=numbers)
        .select_related("learner")
        .only(
            "learner_id",
            "customer_number",
            "basis",
            "consent_scope",
            "learner__date_of_birth",
        )
        .order_by("learner_id")
    )


def _rule_in_force(*, jobcenter_id: int, on: date) -> Rule:
    row = _rules_in_force(jobcenter_id=jobcenter_id, on=on).first()
    if row is None:
        return Rule.of(None, None)
    return Rule.of(row.min_rate, row.max_unexcused_days)


def _enrolments_of(*, learner_ids: list[int]) -> list[_EnrolmentRow]:
    rows = (
        Enrolment.objects.filter(learner_id__in=learner_ids)
        .order_by("course__start_date", "pk")
        .values("pk", "learner_id", "course_id", "status", "start_date", "ended_on")
        .annotate(**_ENROLMENT_COLUMNS)
    )
    return [_EnrolmentRow(**row) for row in rows]


def _placements_of(*, learner_ids: list[int]) -> QuerySet:
    return (
        Placement.objects.filter(learner_id__in=learner_ids)
        .order_by("start_date", "pk")
        .values("learner_id", "start_date", "end_date", "hours_per_week", "status")
        .annotate(employer_name=F("employer__name"))
    )


@dataclass
class LearnerRecord:
    """What one learner record contributed to an answer, for the access log."""

    learner_id: int | None
    fields: list[str]
    customer_number: str = ""


@dataclass
class Answer:
    results: list[dict[str, Any]]
    shared: list[LearnerRecord] = field(default_factory=list)


def _not_found(customer_number: str) -> dict[str, Any]:
    return {"customer_number": customer_number, "found": False, "enrolments": [], "internships": []}


def verification_results(
    *,
    jobcenter_id: int,
    participants: Sequence[tuple[str, date]],
    on: date | None = None,
    with_ids: bool = False,
) -> Answer:
    """One result per (customer number, date of birth), in input order.

    A result is found only when a *valid* link of this Jobcenter carries the customer number and
    the linked learner has that date of birth; otherwise the answer is the same ``found: false``
    for an unknown number, a wrong date and a learner without a link. The queries are the same
    (the same number, whatever the number of participants and whether anyone is found), so the answer time does not tell the cases apart either. Data is limited
    to what each link's basis allows.
    ``with_ids`` adds internal ids for the portal's document links (never in the API).
    """
    on = on or timezone.localdate()
    numbers = sorted({number for number, _ in participants})
    by_key: dict[tuple[str, date], list[JobcenterLink]] = {}
    rule = _rule_in_force(jobcenter_id=jobcenter_id, on=on)
    for link in _valid_links(jobcenter_id=jobcenter_id, numbers=numbers, on=on):
        by_key.setdefault((link.customer_number, link.learner.date_of_birth), []).append(link)
    wanted = {(number, dob) for number, dob in participants}
    matched = [link for key, group in by_key.items() if key in wanted for link in group]
    found_ids = sorted({link.learner_id for link in matched})
    # Padded to the number asked for: the SQL is the same whether anyone was found or not.
    learner_ids = [0, *found_ids, *[0] * (len(participants) - len(found_ids))]

    enrolments = _enrolments_of(learner_ids=learner_ids)
    placements = _placements_of(learner_ids=learner_ids)
    seated = [e for e in enrolments if e.status in SEATED]
    figures = attendance_figures([*seated, _PROBE], until=on)

    enrolments_of: dict[int, list[_EnrolmentRow]] = {}
    for enrolment in enrolments:
        enrolments_of.setdefault(enrolment.learner_id, []).append(enrolment)
    placements_of: dict[int, list[dict[str, Any]]] = {}
    for placement in placements:
        placements_of.setdefault(placement["learner_id"], []).append(placement)

    results: list[dict[str, Any]] = []
    shared: dict[int, set[str]] = {}
    numbers_of: dict[int, str] = {}
    misses: list[LearnerRecord] = []
    for number, dob in participants:
        group = by_key.get((number, dob))
        if not group:
            results.append(_not_found(number))
            misses.append(LearnerRecord(None, ["customer_number", "found"], number))
            continue
        result = {"customer_number": number, "found": True, "enrolments": [], "internships": []}
        for link in group:
            learner_id = link.learner_id
            parts = parts_for(link.basis, link.consent_scope)
            numbers_of[learner_id] = number
            fields = shared.setdefault(learner_id, {"customer_number", "found"})
            if "enrolments" in parts:
                fields.add("enrolments")
                for enrolment in enrolments_of.get(learner_id, []):
                    row = _enrolment_row(enrolment, figures, rule, "attendance" in parts)
                    if with_ids:
                        row.update(
                            enrolment_id=enrolment.pk,
                            course_type_name=enrolment.course_type_name,
                            parts=parts,
                        )
                    result["enrolments"].append(row)
                if "attendance" in parts:
                    fields.update({"attendance", "proper_participation"})
            if "internships" in parts:
                fields.add("internships")
                result["internships"].extend(
                    _placement_row(p) for p in placements_of.get(learner_id, [])
                )
        results.append(result)
    return Answer(
        results=results,
        shared=[
            *(LearnerRecord(pk, sorted(f), numbers_of[pk]) for pk, f in sorted(shared.items())),
            *misses,
        ],
    )


def _enrolment_row(
    enrolment: _EnrolmentRow, figures: dict[int, Figures], rule: Rule, with_attendance: bool
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "course_type": enrolment.course_type,
        "provider": enrolment.provider_short_name or enrolment.provider_name,
        "location": f"{enrolment.location_name}, {enrolment.location_town}",
        "start_date": enrolment.start_date or enrolment.course_start_date,
        "end_date": enrolment.ended_on or enrolment.course_end_date,
        "ue_per_week": enrolment.ue_per_week,
        "status": STATUS_FOR_JOBCENTER.get(enrolment.status, "waitlisted"),
        "attendance": None,
        "proper_participation": None,
    }
    if with_attendance:
        fig = figures.get(enrolment.pk)
        if fig is None:  # not seated: no attendance yet
            row["attendance"] = {
                "ue_held": 0,
                "ue_attended": Decimal(0),
                "rate": None,
                "unexcused_days": 0,
                "last_attended": None,
            }
        else:
            row["attendance"] = {
                "ue_held": fig.ue_held,
                "ue_attended": fig.ue_attended,
                "rate": fig.rate,
                "unexcused_days": fig.unexcused_days,
                "last_attended": fig.last_attended,
            }
            row["proper_participation"] = rule.proper(fig)
    return row


def _placement_row(placement: dict[str, Any]) -> dict[str, Any]:
    return {
        "employer": placement["employer_name"],
        "start_date": placement["start_date"],
        "end_date": placement["end_date"],
        "hours_per_week": placement["hours_per_week"],
        "status": placement["status"],
    }


# --- event feed -------------------------------------------------------------------------------

FEED_TYPES = (
    LearnerEvent.Type.ENROLLED,
    LearnerEvent.Type.COURSE_STARTED,
    LearnerEvent.Type.WAITLISTED,
    LearnerEvent.Type.NOT_PARTICIPATING_PROPERLY,
    LearnerEvent.Type.WITHDRAWN,
    LearnerEvent.Type.COMPLETED,
    LearnerEvent.Type.INTERNSHIP_STARTED,
    LearnerEvent.Type.INTERNSHIP_ENDED,
    LearnerEvent.Type.LINK_ENDED,
)
# Which part of a link's scope an event type belongs to.
EVENT_PART = {
    LearnerEvent.Type.NOT_PARTICIPATING_PROPERLY: "attendance",
    LearnerEvent.Type.INTERNSHIP_STARTED: "internships",
    LearnerEvent.Type.INTERNSHIP_ENDED: "internships",
}
# Withdrawal reasons as categories; illness is a health detail and leaves only as "personal".
WITHDRAWAL_CATEGORY = {
    Enrolment.WithdrawalReason.MOVING: "moving",
    Enrolment.WithdrawalReason.WORK: "work",
    Enrolment.WithdrawalReason.CHILDCARE: "childcare",
    Enrolment.WithdrawalReason.ILLNESS: "personal",
    Enrolment.WithdrawalReason.COURSE_CHANGE: "course_change",
    Enrolment.WithdrawalReason.NO_LONGER_ENTITLED: "no_longer_entitled",
    Enrolment.WithdrawalReason.OTHER: "other",
}
# Keys of LearnerEvent.data that may leave the provider (dates only; no notes, no reasons).
DATE_KEYS = ("date", "dates", "from", "to", "start_date", "end_date", "period_start", "period_end")


def valid_link_for_learner(jobcenter_id: int, *, on: date | None = None) -> QuerySet:
    return JobcenterLink.objects.valid(on=on).filter(
        jobcenter_id=jobcenter_id, learner_id=OuterRef("event__learner_id")
    )


@dataclass
class FeedPage:
    events: list[dict[str, Any]]
    next_cursor: int
    has_more: bool
    shared: list[LearnerRecord]


def feed_events(*, jobcenter_id: int, after: int, limit: int = 100) -> FeedPage:
    """This Jobcenter's events for its validly linked learners after ``after``, oldest first.

    Positions come from ``FeedEntry`` (commit-ordered, see ``services.feed_sequence``), so a
    client that keeps ``next_cursor`` sees each event exactly once. Events outside a link's
    consent scope are skipped but still move the cursor on.
    """
    # An erasure request ends the learner's links at once; the notice that a link ended is
    # addressed to its Jobcenter by the event itself (data: jobcenter_id, customer_number).
    ended_here = Q(event__type=LearnerEvent.Type.LINK_ENDED, event__data__jobcenter_id=jobcenter_id)
    rows = list(
        FeedEntry.objects.filter(position__gt=after, event__type__in=FEED_TYPES)
        .annotate(link_id=Subquery(valid_link_for_learner(jobcenter_id).values("pk")[:1]))
        .filter(Q(link_id__isnull=False) | ended_here)
        .select_related("event")
        .order_by("position")[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    links = JobcenterLink.objects.in_bulk([0, *(r.link_id for r in rows if r.link_id)])
    enrolment_ids = [0] + [
        r.event.data["enrolment_id"]
        for r in rows
        if isinstance(r.event.data.get("enrolment_id"), int)
    ]
    placement_ids = [0] + [
        r.event.data["placement_id"]
        for r in rows
        if isinstance(r.event.data.get("placement_id"), int)
    ]
    enrolments = Enrolment.objects.select_related(
        "course__course_type", "course__provider", "course__location"
    ).in_bulk(enrolment_ids)
    placements = Placement.objects.select_related("employer").in_bulk(placement_ids)

    events: list[dict[str, Any]] = []
    shared: dict[int, set[str]] = {}
    numbers_of: dict[int, str] = {}
    for row in rows:
        event = row.event
        if event.type == LearnerEvent.Type.LINK_ENDED:
            if event.data.get("jobcenter_id") != jobcenter_id:
                continue
            # Only what the Jobcenter is entitled to know: its own customer number and that
            # the link ended. Nothing of the learner is read, so nothing is logged as shared.
            events.append(
                {
                    "id": event.pk,
                    "cursor": row.position,
                    "type": event.type,
                    "occurred_at": event.occurred_at,
                    "customer_number": str(event.data.get("customer_number", "")),
                    "data": {},
                }
            )
            continue
        link = links[row.link_id]
        part = EVENT_PART.get(event.type, "enrolments")
        if part not in link.parts:
            continue
        data = _event_data(event, enrolments, placements)
        events.append(
            {
                "id": event.pk,
                "cursor": row.position,
                "type": event.type,
                "occurred_at": event.occurred_at,
                "customer_number": link.customer_number,
                "data": data,
            }
        )
        numbers_of[event.learner_id] = link.customer_number
        shared.setdefault(event.learner_id, {"customer_number", "event"}).update(
            f"event.{key}" for key in data
        )
    next_cursor = rows[-1].position if rows else after
    return FeedPage(
        events=events,
        next_cursor=next_cursor,
        has_more=has_more,
        shared=[LearnerRecord(pk, sorted(f), numbers_of[pk]) for pk, f in sorted(shared.items())],
    )


def _event_data(event: LearnerEvent, enrolments: dict, placements: dict) -> dict[str, Any]:
    """Whitelisted, minimal data of an event: course or employer facts and dates."""
    raw = event.data or {}
    data: dict[str, Any] = {key: raw[key] for key in DATE_KEYS if key in raw}
    enrolment = enrolments.get(raw.get("enrolment_id"))
    if enrolment is not None:
        course = enrolment.course
        data.update(
            course_type=course.course_type.code,
            provider=str(course.provider),
            location=str(course.location),
        )
        data.setdefault("start_date", (enrolment.start_date or course.start_date).isoformat())
    placement = placements.get(raw.get("placement_id"))
    if placement is not None:
        data.update(
            employer=placement.employer.name,
            start_date=placement.start_date.isoformat(),
            end_date=placement.end_date.isoformat(),
        )
    if event.type == LearnerEvent.Type.WITHDRAWN:
        reason = raw.get("reason") or raw.get("withdrawal_reason")
        if reason is None and enrolment is not None:
            reason = enrolment.withdrawal_reason
        data["reason_category"] = WITHDRAWAL_CATEGORY.get(reason, "other")
    return data


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
        .select_related("webhook", "event")
        .order_by("-created_at", "-pk")
    )


# --- what the learner sees: every external read ---------------------------------------------------


#: What each kind of read was for, in the learner's words.
PURPOSES = {
    "verification": _("checked whether you are registered and take part in your course"),
    "feed": _("read a notice about a change, for example a new course"),
    "document": _("downloaded a document about your course"),
    "portal": _("looked you up in the caseworker portal"),
    "webhook": _("was told that something changed (without details)"),
}
BASIS_WORDS = {
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


def _purpose_of(entry_channel: str, path: str, fields: list[str]) -> str:
    if any(f.startswith("pdf.") for f in fields):
        return PURPOSES["document"]
    if entry_channel == "portal":
        return PURPOSES["portal"]
    if "/events/" in path:
        return PURPOSES["feed"]
    return PURPOSES["verification"]


def external_reads_for_learner(learner: Learner, *, limit: int = 200) -> list[ExternalRead]:
    """Every read of the learner's data from outside the provider, newest first (DESIGN.md §3):
    Jobcenter lookups by API and portal, feed reads and document downloads from the access log,
    and the webhook notices delivered about the learner. Three queries, whatever the number.

    ``fields`` are the names the access log keeps; the page turns them into words.
    """
    bases = dict(
        JobcenterLink.objects.filter(learner=learner)
        .order_by("created_at", "pk")
        .values_list("jobcenter_id", "basis")
    )
    reads = [
        ExternalRead(
            at=row.entry.at,
            organisation=str(row.entry.jobcenter or "–"),
            purpose=str(_purpose_of(row.entry.channel, row.entry.path, row.fields)),
            basis=str(BASIS_WORDS.get(bases.get(row.entry.jobcenter_id), "")),
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
    reads += [
        ExternalRead(
            at=d.delivered_at,
            organisation=str(d.webhook.jobcenter),
            purpose=str(PURPOSES["webhook"]),
            basis=str(BASIS_WORDS.get(bases.get(d.webhook.jobcenter_id), "")),
            fields=["event"],
        )
        for d in deliveries
    ]
    reads.sort(key=lambda r: r.at, reverse=True)
    return reads[:limit]
