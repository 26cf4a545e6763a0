"""Signals of the enrolment app, for the apps above it (enrolment imports none of them)."""

from django.dispatch import Signal

#: A learner was booked into a placement test slot (a new booking, not a repeated request).
#: Sent with ``booking`` and ``by`` (the user, or None) inside the service's transaction; the
#: referrals app moves the learner's referral to "placement test booked".
placement_booked = Signal()
