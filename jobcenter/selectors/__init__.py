"""Reads for the Jobcenter: verification records, the event feed, the access log.

Everything a Jobcenter gets passes through ``verification_results`` or ``feed_events``; both
start from the caller's *valid* links, so nothing reaches a Jobcenter without a legal basis.
"""

from jobcenter.selectors.feed import (
    DATE_KEYS,
    EVENT_PART,
    FEED_TYPES,
    NOTICE_KEYS,
    NOTICE_TYPES,
    WITHDRAWAL_CATEGORY,
    FeedPage,
    feed_events,
    valid_link_for_learner,
)
from jobcenter.selectors.reads import (
    BASIS_WORDS,
    PURPOSES,
    ExternalRead,
    access_log_for_learner,
    deliveries_for_jobcenter,
    external_reads_for_learner,
    webhooks_for_jobcenter,
)
from jobcenter.selectors.verification import (
    FALLBACK_MIN_RATE,
    SEATED,
    STATUS_FOR_JOBCENTER,
    Answer,
    LearnerRecord,
    Rule,
    verification_results,
)

__all__ = [
    "BASIS_WORDS",
    "DATE_KEYS",
    "EVENT_PART",
    "FALLBACK_MIN_RATE",
    "FEED_TYPES",
    "NOTICE_KEYS",
    "NOTICE_TYPES",
    "PURPOSES",
    "SEATED",
    "STATUS_FOR_JOBCENTER",
    "WITHDRAWAL_CATEGORY",
    "Answer",
    "ExternalRead",
    "FeedPage",
    "LearnerRecord",
    "Rule",
    "access_log_for_learner",
    "deliveries_for_jobcenter",
    "external_reads_for_learner",
    "feed_events",
    "valid_link_for_learner",
    "verification_results",
    "webhooks_for_jobcenter",
]
