"""Writes about people. Other apps record learner events through ``learner_event_record``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from people.models import Learner, LearnerEvent, User


def learner_event_record(
    *, learner: Learner, type: str, data: dict[str, Any] | None = None
) -> LearnerEvent:
    """Append an event to the learner's outbox, inside the caller's transaction.

    The Jobcenter feed and reports read this table; writing it in the same transaction as the
    change means an event exists exactly when the change does.
    """
    return LearnerEvent.objects.create(learner=learner, type=type, data=data or {})


@transaction.atomic
def learner_confirm_identity(*, learner: Learner, by: User) -> Learner:
    """Staff confirm the person against their records (ID, BAMF letter) before an enrolment counts."""
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    if learner.identity_confirmed_at is None:
        learner.identity_confirmed_at = timezone.now()
        learner.identity_confirmed_by = by
        learner.save(update_fields=["identity_confirmed_at", "identity_confirmed_by", "updated_at"])
    return learner
