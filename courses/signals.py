"""Signals of the courses app, for the apps above it (courses imports none of them)."""

from django.dispatch import Signal

#: A course's seats may have become free: capacity raised, course opened or created.
#: Sent with ``course`` and ``by`` (the user, or None) inside the service's transaction; the
#: enrolment app offers the seats to its waiting list.
seats_may_have_freed = Signal()
