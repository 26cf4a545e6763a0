import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from core.errors import ConflictError
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from people.models import LearnerEvent
from people.services import learner_event_record
from referrals import selectors, services
from referrals.models import Consent, DataItem, DeclineReason, Obligation, Outcome, Referral, Status
from referrals.services import ReferralError
from tests.factories import JobcenterFactory, JobcenterLinkFactory, LearnerFactory
from tests.referrals.conftest import consent, send

pytestmark = pytest.mark.django_db


def test_consent_comes_first(net):
    with pytest.raises(ReferralError) as exc:
        send(net, consent=None)
    assert exc.value.code == "consent_required"
    assert Referral.objects.count() == 0


def test_a_referral_is_sent_with_its_consent(net):
    referral = send(net)
    assert referral.was_created and referral.status == Status.SENT and referral.sent_at
    c = referral.consents.get()
    assert c.recipient == net.receiver and c.method == Consent.Method.ON_SCREEN
    assert set(c.items) == {DataItem.IDENTITY, DataItem.CONTACT, DataItem.LANGUAGES}
    assert referral.shared_items() == set(c.items)


def test_data_the_person_did_not_agree_to_share_is_refused(net):
    with pytest.raises(ReferralError) as exc:
        send(
            net,
            note="traumatised",
            consent=consent(DataItem.IDENTITY, DataItem.CONTACT, DataItem.LANGUAGES),
        )
    assert exc.value.code == "not_consented" and exc.value.field == "note"


def test_the_receiver_must_be_in_the_network(net):
    with pytest.raises(ReferralError) as exc:
        send(net, receiver=net.outside)
    assert exc.value.code == "foreign_receiver"


def test_only_a_counsellor_of_the_sending_provider_refers(net):
    with pytest.raises(ReferralError) as exc:
        send(net, sender=net.w.b.staff)
    assert exc.value.status_code == 403


def test_a_jobcenter_refers_an_obliged_client_without_consent(net):
    referral = send(
        net,
        sender_organisation=net.w.jobcenter,
        sender=net.w.caseworker,
        obligation=Obligation.JOBCENTER,
        customer_number="123D456789",
        consent=None,
    )
    assert referral.is_obligation_referral
    assert DataItem.IDENTITY in referral.shared_items()
    assert DataItem.NOTE not in referral.shared_items()


def test_only_the_jobcenter_names_its_obligation(net):
    with pytest.raises(ReferralError) as exc:
        send(net, obligation=Obligation.JOBCENTER, consent=None)
    assert exc.value.code == "obligation_not_yours"


def test_the_client_reference_makes_a_repeat_change_nothing(net):
    first = send(net, client_reference="MBE-7")
    again = send(net, client_reference="MBE-7", first_name="Other")
    assert again.pk == first.pk and not again.was_created
    assert Referral.objects.count() == 1


def test_decline_needs_a_reason_from_the_list(net):
    referral = send(net)
    with pytest.raises(ReferralError):
        services.referral_decline(referral=referral, by=net.receiver_staff, reason="because")
    referral = services.referral_decline(
        referral=referral, by=net.receiver_staff, reason=DeclineReason.NO_PLACES
    )
    assert referral.status == Status.DECLINED and referral.declined_at
    with pytest.raises(ConflictError) as exc:
        services.referral_accept(referral=referral, by=net.receiver_staff)
    assert exc.value.code == "transition_not_allowed"


def test_revoked_consent_hides_the_data_at_once(net):
    referral = send(net)
    services.consent_revoke(consent=referral.consents.get(), by=net.counsellor)
    fresh = selectors.inbox([net.receiver.pk]).get(pk=referral.pk)
    assert fresh.shared_items() == frozenset()
    assert selectors.duplicate_candidates(fresh) == []


def _accepted_and_matched(net):
    learner = LearnerFactory(
        provider=net.receiver,
        first_name="amal",
        last_name="HADDAD",
        date_of_birth=dt.date(1990, 4, 2),
    )
    referral = send(net)
    assert selectors.duplicate_candidates(referral) == [learner]
    referral = services.referral_accept(referral=referral, by=net.receiver_staff, learner=learner)
    return referral, learner


def test_duplicate_check_proposes_the_existing_learner(net):
    LearnerFactory(
        provider=net.receiver,
        first_name="Haddad",
        last_name="Amal",
        date_of_birth=dt.date(1990, 4, 2),
    )
    LearnerFactory(
        provider=net.receiver,
        first_name="Amal",
        last_name="Haddad",
        date_of_birth=dt.date(1991, 4, 2),
    )
    LearnerFactory(
        provider=net.sender_org,
        first_name="Amal",
        last_name="Haddad",
        date_of_birth=dt.date(1990, 4, 2),
    )
    referral = send(net)
    assert [c.last_name for c in selectors.duplicate_candidates(referral)] == ["Amal"]
    services.referral_accept(referral=referral, by=net.receiver_staff)
    with pytest.raises(ConflictError) as exc:
        services.referral_learner_create(referral=referral, by=net.receiver_staff)
    assert exc.value.code == "probable_duplicate"
    learner = services.referral_learner_create(
        referral=referral, by=net.receiver_staff, not_a_duplicate=True
    )
    assert learner.provider == net.receiver and learner.phone == "0151 1234567"


def test_duplicate_check_by_customer_number(net):
    learner = LearnerFactory(provider=net.receiver, first_name="Other", last_name="Name")
    JobcenterLinkFactory(learner=learner, jobcenter=net.w.jobcenter, customer_number="123D456789")
    referral = send(
        net,
        sender_organisation=net.w.jobcenter,
        sender=net.w.caseworker,
        obligation=Obligation.JOBCENTER,
        customer_number="123D456789",
        consent=None,
    )
    assert selectors.duplicate_candidates(referral) == [learner]


def test_matching_needs_an_accepted_referral_and_the_receivers_learner(net):
    referral = send(net)
    own = LearnerFactory(provider=net.receiver)
    with pytest.raises(ConflictError):
        services.referral_match(referral=referral, learner=own, by=net.receiver_staff)
    services.referral_accept(referral=referral, by=net.receiver_staff)
    with pytest.raises(ReferralError) as exc:
        services.referral_match(
            referral=referral,
            learner=LearnerFactory(provider=net.sender_org),
            by=net.receiver_staff,
        )
    assert exc.value.code == "foreign_learner"


def test_a_placement_booking_moves_the_referral_on(net):
    referral, learner = _accepted_and_matched(net)
    slot = enrolment_services.placement_slot_create(
        provider=net.receiver,
        location=net.w.a.location,
        date=timezone.localdate() + dt.timedelta(days=3),
        start_time=dt.time(9, 0),
        capacity=5,
    )
    enrolment_services.placement_book(slot=slot, learner=learner, by=net.receiver_staff)
    referral.refresh_from_db()
    assert referral.status == Status.TEST_BOOKED and referral.test_booked_at


def test_enrolment_moves_the_referral_to_enrolled_then_started_then_closed(net):
    referral, learner = _accepted_and_matched(net)
    enrolment = enrolment_services.enrolment_create(
        course=net.w.a.course, learner=learner, by=net.receiver_staff
    )
    referral.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert referral.status == Status.ENROLLED and referral.enrolled_at
    learner_event_record(learner=learner, type=LearnerEvent.Type.COURSE_STARTED)
    learner_event_record(learner=learner, type=LearnerEvent.Type.COMPLETED)
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED and referral.outcome == Outcome.COMPLETED
    assert referral.course_started_at and referral.closed_at


def test_events_of_other_learners_or_unmatched_referrals_move_nothing(net):
    referral = send(net)
    services.referral_accept(referral=referral, by=net.receiver_staff)
    enrolment_services.enrolment_create(
        course=net.w.a.course, learner=net.w.a.learners[0], by=net.receiver_staff
    )
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED


def test_a_withdrawal_from_the_waiting_list_leaves_the_referral_open(net):
    referral, learner = _accepted_and_matched(net)
    learner_event_record(learner=learner, type=LearnerEvent.Type.WAITLISTED)
    learner_event_record(learner=learner, type=LearnerEvent.Type.WITHDRAWN)
    referral.refresh_from_db()
    assert referral.status == Status.WAITING_LISTED


@override_settings(REFERRAL_STALL_DAYS=10)
def test_a_stalled_referral_is_flagged_exactly_once_per_stall(
    net, django_capture_on_commit_callbacks
):
    referral = send(net)
    later = timezone.now() + dt.timedelta(days=11)
    assert services.referrals_flag_stalled(now=timezone.now()) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.referrals_flag_stalled(now=later) == [referral.pk]
    assert services.referrals_flag_stalled(now=later + dt.timedelta(days=1)) == []
    referral.refresh_from_db()
    assert referral.stalled_at is not None
    assert len(mail.outbox) == 1  # the counsellor; the receiver has no office address
    # the next step clears the flag; a new stall is flagged again
    services.referral_accept(referral=referral, by=net.receiver_staff)
    referral.refresh_from_db()
    assert referral.stalled_at is None
    assert services.referrals_flag_stalled(now=timezone.now() + dt.timedelta(days=5)) == []
    assert services.referrals_flag_stalled(now=later + dt.timedelta(days=1)) == [referral.pk]


def test_closed_and_started_referrals_never_stall(net):
    referral = send(net)
    services.referral_close(referral=referral, by=net.counsellor, outcome=Outcome.NOT_REACHED)
    assert services.referrals_flag_stalled(now=timezone.now() + dt.timedelta(days=400)) == []


def test_another_jobcenters_organisation_cannot_be_used_by_a_caseworker(net):
    stranger = JobcenterFactory()
    with pytest.raises(ReferralError):
        send(net, sender_organisation=stranger, sender=net.w.caseworker, consent=consent())


def test_a_referral_matched_after_the_enrolment_catches_up(net):
    learner = LearnerFactory(
        provider=net.receiver,
        first_name="Amal",
        last_name="Haddad",
        date_of_birth=dt.date(1990, 4, 2),
    )
    enrolment_services.enrolment_create(
        course=net.w.a.course, learner=learner, by=net.receiver_staff
    )
    referral = send(net)
    services.referral_accept(referral=referral, by=net.receiver_staff, learner=learner)
    referral.refresh_from_db()
    assert referral.status == Status.ENROLLED and referral.enrolled_at


def test_the_demo_seeds_referrals_once(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", "--apps", "people", "courses", "referrals", stdout=StringIO())
    first = Referral.objects.count()
    call_command("seed_demo", "--apps", "people", "courses", "referrals", stdout=StringIO())
    assert Referral.objects.count() == first == 6
    pending = Referral.objects.get(client_reference="MBE-DEMO-5")
    assert pending.pending_consent() is not None and pending.shared_items() == frozenset()
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == {Status.SENT, Status.ACCEPTED, Status.DECLINED}
    obliged = Referral.objects.get(client_reference="JC-DEMO-1")
    assert obliged.is_obligation_referral and not obliged.consents.exists()
    matched = Referral.objects.get(client_reference="MBE-DEMO-2")
    assert matched.learner is not None and matched.sender.username == "counsellor-caritas"
    assert Referral.objects.stalled().count() == 1


def test_a_closed_referral_and_its_consent_go_a_year_after_closing(net):
    from privacy.services.retention import retention_run

    closed, open_one = send(net), send(net, first_name="Still")
    services.referral_close(referral=closed, by=net.counsellor, outcome=Outcome.NOT_REACHED)
    closed_on = timezone.localdate()
    retention_run(today=closed_on + dt.timedelta(days=300), dry_run=False)
    assert Referral.objects.filter(pk=closed.pk).exists()
    retention_run(today=closed_on + dt.timedelta(days=370), dry_run=False)
    assert not Referral.objects.filter(pk=closed.pk).exists()
    assert not Consent.objects.filter(referral_id=closed.pk).exists()
    assert Referral.objects.filter(pk=open_one.pk).exists()
