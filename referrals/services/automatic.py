"""Steps that happen by themselves: an enrolment, a booking or a course start of the matched learner moves the referral on; stalled referrals are flagged once per stall."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from people.models import LearnerEvent
from referrals.models import (
    STALL_STEPS,
    STEP_DATE_FIELDS,
    Outcome,
    Referral,
    Status,
)
from referrals.services.steps import _move
from referrals.transitions import Status as Step
from referrals.transitions import can_move

# --- automatic steps (signals from enrolment and people) ---------------------------------------

#: Learner events that move a matched referral on by themselves, and where to.
EVENT_STEPS: dict[str, str] = {
    LearnerEvent.Type.WAITLISTED: Status.WAITING_LISTED,
    LearnerEvent.Type.ENROLLED: Status.ENROLLED,
    LearnerEvent.Type.COURSE_STARTED: Status.COURSE_STARTED,
    LearnerEvent.Type.COMPLETED: Status.CLOSED,
    LearnerEvent.Type.WITHDRAWN: Status.CLOSED,
}
EVENT_OUTCOMES: dict[str, str] = {
    LearnerEvent.Type.COMPLETED: Outcome.COMPLETED,
    LearnerEvent.Type.WITHDRAWN: Outcome.WITHDRAWN,
}
#: Closing from an event only once the person has started at the receiver (a withdrawal from a
#: waiting list leaves the referral open for the receiver to find another course).
CLOSES_FROM = frozenset({Status.ENROLLED, Status.COURSE_STARTED})


@transaction.atomic
def referrals_advance(*, learner_id: int, target: str, outcome: str = "") -> int:
    """Move the learner's open referrals to ``target`` where the table allows; others stay.

    Runs in the caller's transaction (an enrolment or a booking): the step commits with it. A
    caller without one (an event recorded in autocommit) gets its own, as the lock needs one."""
    now = timezone.now()
    moved = 0
    open_refs = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("sender_organisation")
        .filter(learner_id=learner_id)
        .open()
    )
    for referral in open_refs:
        if target == Status.CLOSED and referral.status not in CLOSES_FROM:
            continue
        if not can_move(Step(referral.status), Step(target)):
            continue
        referral.outcome = outcome or referral.outcome
        _move(referral, target, now=now)
        referral.save(
            update_fields=[
                "status",
                STEP_DATE_FIELDS[target],
                "last_moved_at",
                "stalled_at",
                "outcome",
            ]
        )
        moved += 1
    return moved


def on_learner_event(event: LearnerEvent) -> int:
    target = EVENT_STEPS.get(event.type)
    if target is None:
        return 0
    return referrals_advance(
        learner_id=event.learner_id, target=target, outcome=EVENT_OUTCOMES.get(event.type, "")
    )


def on_placement_booked(*, learner_id: int) -> int:
    return referrals_advance(learner_id=learner_id, target=Status.TEST_BOOKED)


# --- stalls ------------------------------------------------------------------------------------


def referrals_flag_stalled(*, now: datetime | None = None) -> list[int]:
    """Flag every referral that has rested ``REFERRAL_STALL_DAYS`` in a step where someone must
    act, exactly once per stall (the flag stays until the next step clears it); both sides are
    told by e-mail after commit. Returns the ids flagged now."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.REFERRAL_STALL_DAYS)
    flagged: list[int] = []
    with transaction.atomic():
        due = list(
            Referral.objects.select_for_update()
            .filter(status__in=STALL_STEPS, stalled_at__isnull=True, last_moved_at__lte=limit)
            .values_list("pk", flat=True)
        )
        if due:
            Referral.objects.filter(pk__in=due, stalled_at__isnull=True).update(stalled_at=now)
            flagged = due
    if flagged:
        from referrals.tasks import send_stall_mail

        ids = list(flagged)
        transaction.on_commit(lambda: send_stall_mail.enqueue(referral_ids=ids))
    return flagged
