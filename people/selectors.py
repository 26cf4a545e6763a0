"""Reads about people (the doors to a learner record are in ``people.access``)."""

from __future__ import annotations

from datetime import date

from people.models import Entitlement, Learner


def learner_is_obliged(learner: Learner, *, on: date) -> bool:
    return any(
        e.kind == Entitlement.Kind.OBLIGATION and e.is_valid_on(on)
        for e in learner.entitlements.all()
    )
