"""The referrals app listens to the lower apps (which never import it): a placement booking or a
learner event (enrolled, waiting-listed, course started, completed, withdrawn) moves the
learner's referral on by itself, inside the same transaction as the change."""

from __future__ import annotations


def _learner_event(sender, *, event, **kwargs) -> None:
    from referrals.services import on_learner_event

    on_learner_event(event)


def _placement_booked(sender, *, booking, **kwargs) -> None:
    from referrals.services import on_placement_booked

    on_placement_booked(learner_id=booking.learner_id)


def connect() -> None:
    from enrolment.signals import placement_booked
    from people.signals import learner_event_recorded

    learner_event_recorded.connect(
        _learner_event, dispatch_uid="referrals.learner_event", weak=False
    )
    placement_booked.connect(
        _placement_booked, dispatch_uid="referrals.placement_booked", weak=False
    )
