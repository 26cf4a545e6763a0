"""Property test on stored referrals: whatever the receiver, the sender and the enrolment services
do in whatever order, a referral is in exactly one known state and every change of state is a
step the table allows (``referrals.transitions``); the step's date is set whenever it is reached."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from people.models import LearnerEvent
from people.services import learner_event_record
from referrals import services
from referrals.models import STEP_DATE_FIELDS, DeclineReason, Outcome, Referral, Status
from referrals.transitions import TRANSITIONS
from referrals.transitions import Status as Step
from tests.factories import LearnerFactory
from tests.referrals.conftest import send

pytestmark = pytest.mark.django_db

ACTIONS = [
    "accept",
    "decline",
    "close",
    "book",
    LearnerEvent.Type.WAITLISTED,
    LearnerEvent.Type.ENROLLED,
    LearnerEvent.Type.COURSE_STARTED,
    LearnerEvent.Type.COMPLETED,
    LearnerEvent.Type.WITHDRAWN,
    "revoke",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(ACTIONS), max_size=12))
def test_every_referral_moves_only_along_the_table(net, actions):
    learner = LearnerFactory(provider=net.receiver)
    referral = send(net)
    for action in actions:
        before = Referral.objects.get(pk=referral.pk).status
        try:
            if action == "accept":
                services.referral_accept(referral=referral, by=net.receiver_staff, learner=learner)
            elif action == "decline":
                services.referral_decline(
                    referral=referral, by=net.receiver_staff, reason=DeclineReason.OTHER
                )
            elif action == "close":
                services.referral_close(referral=referral, by=net.counsellor, outcome=Outcome.OTHER)
            elif action == "book":
                services.on_placement_booked(learner_id=learner.pk)
            elif action == "revoke":
                consent = referral.consents.filter(revoked_at__isnull=True).first()
                if consent:
                    services.consent_revoke(consent=consent, by=net.counsellor)
            else:
                learner_event_record(learner=learner, type=action)
        except DomainError:
            pass
        after = Referral.objects.get(pk=referral.pk)
        assert after.status in Status.values
        assert after.status == before or Step(after.status) in TRANSITIONS[Step(before)]
        assert getattr(after, STEP_DATE_FIELDS[after.status]) is not None
