"""Writes for the Jobcenter side: links and consents, API keys, feed sequence, access log, webhooks."""

from jobcenter.access import may_manage_jobcenter
from jobcenter.services.access_log import access_log_attach, access_log_write
from jobcenter.services.feed import FEED_LOCK_KEY, feed_notice_record, feed_sequence
from jobcenter.services.keys import api_key_create, api_key_revoke
from jobcenter.services.links import consent_revoke, link_create, link_end
from jobcenter.services.webhooks import (
    BACKOFF,
    MAX_ATTEMPTS,
    SIGNATURE_HEADER,
    sign,
    webhook_attempt,
    webhook_deactivate,
    webhook_register,
    webhooks_dispatch_event,
    webhooks_dispatch_notice,
    webhooks_retry_due,
)

__all__ = [
    "BACKOFF",
    "FEED_LOCK_KEY",
    "MAX_ATTEMPTS",
    "SIGNATURE_HEADER",
    "access_log_attach",
    "access_log_write",
    "api_key_create",
    "api_key_revoke",
    "consent_revoke",
    "feed_notice_record",
    "feed_sequence",
    "link_create",
    "link_end",
    "may_manage_jobcenter",
    "sign",
    "webhook_attempt",
    "webhook_deactivate",
    "webhook_register",
    "webhooks_dispatch_event",
    "webhooks_dispatch_notice",
    "webhooks_retry_due",
]
