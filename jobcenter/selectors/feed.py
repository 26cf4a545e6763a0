"""The Jobcenter event feed: learner events of linked clients, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from enrolment.models import Enrolment
from internships.models import Placement
from jobcenter.models import (
    FeedEntry,
    FeedNotice,
    JobcenterLink,
)

# Used only when no ParticipationRule row applies (the rule table is the place to set it).
from jobcenter.selectors.verification import LearnerRecord
from people.models import LearnerEvent

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
EVENT_PART: dict[str, str] = {
    LearnerEvent.Type.NOT_PARTICIPATING_PROPERLY: "attendance",
    LearnerEvent.Type.INTERNSHIP_STARTED: "internships",
    LearnerEvent.Type.INTERNSHIP_ENDED: "internships",
}
# Withdrawal reasons as categories; illness is a health detail and leaves only as "personal".
WITHDRAWAL_CATEGORY: dict[str, str] = {
    Enrolment.WithdrawalReason.MOVING: "moving",
    Enrolment.WithdrawalReason.WORK: "work",
    Enrolment.WithdrawalReason.CHILDCARE: "childcare",
    Enrolment.WithdrawalReason.ILLNESS: "personal",
    Enrolment.WithdrawalReason.COURSE_CHANGE: "course_change",
    Enrolment.WithdrawalReason.NO_LONGER_ENTITLED: "no_longer_entitled",
    Enrolment.WithdrawalReason.OTHER: "other",
}
# Notices addressed to one Jobcenter: the steps of the referrals it sent (``referrals``).
NOTICE_TYPES = tuple(FeedNotice.Type.values)
# Keys of a referral notice that reach the Jobcenter: its own references, the step, its date,
# and the codes of a decline reason or an outcome; never notes or attendance.
NOTICE_KEYS = ("referral_id", "client_reference", "status", "date", "decline_reason", "outcome")
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
    # the steps of this Jobcenter's own referrals, addressed to it alone
    notices_here = Q(notice__jobcenter_id=jobcenter_id)
    rows = list(
        FeedEntry.objects.filter(position__gt=after)
        .filter(Q(event__type__in=FEED_TYPES) | notices_here)
        .annotate(link_id=Subquery(valid_link_for_learner(jobcenter_id).values("pk")[:1]))
        .filter(Q(link_id__isnull=False) | ended_here | notices_here)
        .select_related("event", "notice")
        .order_by("position")[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    links = JobcenterLink.objects.in_bulk([0, *(r.link_id for r in rows if r.link_id)])
    raw = [r.event.data for r in rows if r.event is not None]
    enrolment_ids = [0] + [d["enrolment_id"] for d in raw if isinstance(d.get("enrolment_id"), int)]
    placement_ids = [0] + [d["placement_id"] for d in raw if isinstance(d.get("placement_id"), int)]
    enrolments = Enrolment.objects.select_related(
        "course__course_type", "course__provider", "course__location"
    ).in_bulk(enrolment_ids)
    placements = Placement.objects.select_related("employer").in_bulk(placement_ids)

    events: list[dict[str, Any]] = []
    shared: dict[int, set[str]] = {}
    numbers_of: dict[int, str] = {}
    for row in rows:
        if row.notice is not None:
            events.append(_notice(row.notice, position=row.position))
            continue
        event = row.event
        if event is None:
            continue
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


def _notice(notice: FeedNotice, *, position: int) -> dict[str, Any]:
    """A notice to this Jobcenter (its referral's step): the data it wrote, under the
    whitelist of what a sender may see. No learner record is read, so nothing is logged."""
    raw = notice.data or {}
    return {
        "id": notice.pk,
        "cursor": position,
        "type": notice.type,
        "occurred_at": notice.occurred_at,
        "customer_number": str(raw.get("customer_number", "")),
        "data": {key: raw[key] for key in NOTICE_KEYS if key in raw},
    }


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
        data["reason_category"] = WITHDRAWAL_CATEGORY.get(reason or "", "other")
    return data
