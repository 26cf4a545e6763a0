"""Enrolments: a learner's place (or wait) in a course."""

from __future__ import annotations

from enrolment.models.accounts import LoginCode
from enrolment.models.enrolments import (
    DEFAULT_PRIORITY_RULES,
    Enrolment,
    EnrolmentPolicy,
    EnrolmentQuerySet,
)
from enrolment.models.imports import LearnerImport
from enrolment.models.placement import PlacementBooking, PlacementResult, PlacementSlot
from enrolment.models.wishes import WaitlistWish
from people.models import TimeOfDay

TIMES_OF_DAY = TimeOfDay.values

__all__ = [
    "DEFAULT_PRIORITY_RULES",
    "TIMES_OF_DAY",
    "Enrolment",
    "EnrolmentPolicy",
    "EnrolmentQuerySet",
    "LearnerImport",
    "LoginCode",
    "PlacementBooking",
    "PlacementResult",
    "PlacementSlot",
    "WaitlistWish",
]
