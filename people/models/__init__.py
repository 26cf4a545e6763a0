"""Users, organisations (providers and Jobcenters), their locations, roles and learners."""

from __future__ import annotations

from people.models.accounts import (
    FederalState,
    Location,
    Membership,
    Network,
    Organisation,
    Role,
    RoleMembership,
    User,
)
from people.models.directory import OpeningHours, Service, Weekday
from people.models.learners import (
    LEARNER_ANONYMISED,
    LEARNER_RESTRICTED_KEEPS_ONLY,
    Entitlement,
    Learner,
    LearnerEvent,
    LearnerQuerySet,
    TimeOfDay,
    VisibleLearnerManager,
)

__all__ = [
    "LEARNER_ANONYMISED",
    "LEARNER_RESTRICTED_KEEPS_ONLY",
    "Entitlement",
    "FederalState",
    "Learner",
    "LearnerEvent",
    "LearnerQuerySet",
    "Location",
    "Membership",
    "Network",
    "OpeningHours",
    "Organisation",
    "Role",
    "RoleMembership",
    "Service",
    "TimeOfDay",
    "User",
    "VisibleLearnerManager",
    "Weekday",
]
