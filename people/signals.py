"""Signals of the people app, for the apps above it (people imports none of them)."""

from django.dispatch import Signal

#: An event was appended to a learner's outbox (``people.services.learner_event_record``).
#: Sent with ``event`` (a ``LearnerEvent``) inside the caller's transaction, so a receiver's
#: writes commit or roll back with the change; the referrals app moves a referral on with it.
learner_event_recorded = Signal()
