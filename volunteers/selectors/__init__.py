"""Reads of the volunteers app, by topic: requirements, tandem matching, the coordinators'
figures, the volunteer's own pages and the public practice page, yearly records."""

from volunteers.selectors.matching import (
    SuggestionRow,
    learner_facts,
    learner_level,
    tandem_candidates,
    tandem_suggestions,
    volunteer_facts,
    with_level_facts,
)
from volunteers.selectors.records import (
    YearlyRecord,
    training_enrolments,
    volunteer_last_activity,
    yearly_record,
)
from volunteers.selectors.requirements import (
    REQUIREMENT_LABELS,
    RequirementState,
    State,
    current_rules,
    requirement_states,
    rule_for,
)
from volunteers.selectors.staff import (
    Overview,
    coming_week,
    expiring_requirements,
    overview,
    tandems_at_risk,
    unfilled_shifts,
    waiting_without_buddy,
)
from volunteers.selectors.volunteer import (
    BuddyView,
    PracticeDate,
    buddies_for,
    buddy_for,
    my_shifts,
    open_shifts,
    practice_dates,
)

__all__ = [
    "REQUIREMENT_LABELS",
    "BuddyView",
    "Overview",
    "PracticeDate",
    "RequirementState",
    "State",
    "SuggestionRow",
    "YearlyRecord",
    "buddies_for",
    "buddy_for",
    "coming_week",
    "current_rules",
    "expiring_requirements",
    "learner_facts",
    "learner_level",
    "my_shifts",
    "open_shifts",
    "overview",
    "practice_dates",
    "requirement_states",
    "rule_for",
    "tandem_candidates",
    "tandem_suggestions",
    "tandems_at_risk",
    "training_enrolments",
    "unfilled_shifts",
    "volunteer_facts",
    "volunteer_last_activity",
    "waiting_without_buddy",
    "with_level_facts",
    "yearly_record",
]
