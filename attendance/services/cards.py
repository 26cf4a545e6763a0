"""Learner cards: personal QR cards for check-in without a phone; revoked and reissued."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from attendance.models import (
    LearnerCard,
)
from people.models import Learner, User


@transaction.atomic
def card_issue(*, learner: Learner, by: User | None = None) -> LearnerCard:
    """Issue a new card; the learner's previous card is revoked (one valid card per learner)."""
    Learner.objects.select_for_update(of=("self",)).filter(pk=learner.pk).first()
    LearnerCard.objects.active().filter(learner=learner).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    return LearnerCard.objects.create(
        learner=learner, token=secrets.token_urlsafe(18), issued_by=by
    )


@transaction.atomic
def card_revoke(*, card: LearnerCard, by: User | None = None) -> LearnerCard:
    """Revoke a card (lost, stolen): from now on it is refused."""
    card = LearnerCard.objects.select_for_update(of=("self",)).get(pk=card.pk)
    if card.revoked_at is None:
        card.revoked_at = timezone.now()
        card.revoked_by = by
        card.save(update_fields=["revoked_at", "revoked_by"])
    return card


@transaction.atomic
def cards_ensure(*, learners: Iterable[Learner], by: User | None = None) -> list[LearnerCard]:
    """Every learner's valid card, issuing one where a learner has none (for a batch print)."""
    learners = list(learners)
    cards = {c.learner_id: c for c in LearnerCard.objects.active().filter(learner__in=learners)}
    out = []
    for learner in learners:
        card = cards.get(learner.pk) or card_issue(learner=learner, by=by)
        card.learner = learner
        out.append(card)
    return out
