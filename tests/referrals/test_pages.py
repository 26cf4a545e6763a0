import datetime as dt

import pytest
from django.urls import reverse

from people.models import Role
from referrals import services
from referrals.models import DataItem, Obligation, Referral, Status
from tests.factories import LearnerFactory, member
from tests.referrals.conftest import consent, send

pytestmark = pytest.mark.django_db


def test_a_counsellor_sends_a_referral_with_consent_on_the_page(client, net):
    client.force_login(net.counsellor)
    response = client.post(
        reverse("referrals-new"),
        {
            "receiver": net.receiver.pk,
            "purpose": "placement_test",
            "first_name": "Amal",
            "last_name": "Haddad",
            "date_of_birth": "1990-04-02",
            "phone": "0151 1",
            "consent_items": [DataItem.IDENTITY, DataItem.CONTACT],
            "consent_method": "paper",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "referrals-detail", args=[referral.pk]
    )
    assert referral.sender == net.counsellor and referral.consents.get().method == "paper"


def test_without_consent_the_page_refuses(client, net):
    client.force_login(net.counsellor)
    response = client.post(
        reverse("referrals-new"),
        {
            "receiver": net.receiver.pk,
            "purpose": "placement_test",
            "first_name": "Amal",
            "last_name": "Haddad",
            "date_of_birth": "1990-04-02",
        },
    )
    assert response.status_code == 200 and not Referral.objects.exists()


def test_the_counsellors_list_pins_its_queries(client, net, django_assert_num_queries):
    for i in range(4):
        send(net, first_name=f"P{i}")
    client.force_login(net.counsellor)
    client.get(reverse("referrals-list"))
    # session, user, memberships, organisation, referrals; the read is logged: savepoint,
    # access log entry, its records (one insert), release
    with django_assert_num_queries(9):
        response = client.get(reverse("referrals-list"))
    assert response.status_code == 200 and response.content.count(b"/referrals/") >= 4


def test_the_inbox_pins_its_queries(client, net, django_assert_num_queries):
    for i in range(4):
        send(net, first_name=f"P{i}")
    client.force_login(net.receiver_staff)
    client.get(reverse("referrals-inbox"))
    # session, user, memberships, referrals, consents; the names shown are logged as read:
    # savepoint, access log entry, its records (one insert), release
    with django_assert_num_queries(9):
        response = client.get(reverse("referrals-inbox"))
    assert response.status_code == 200


def test_the_sender_sees_status_and_dates_never_notes_or_attendance(client, net):
    referral = send(net)
    services.referral_accept(referral=referral, by=net.receiver_staff)
    services.referral_note(referral=referral, by=net.receiver_staff, receiver_note="SECRET-NOTE")
    client.force_login(net.counsellor)
    body = client.get(reverse("referrals-detail", args=[referral.pk])).content.decode()
    assert "SECRET-NOTE" not in body
    assert "Anwesenheit" not in body and "attendance" not in body.lower()
    assert "angenommen" in body  # status in German


def test_outsiders_get_404(client, net):
    referral = send(net)
    jobcenter_referral = send(
        net,
        sender_organisation=net.w.jobcenter,
        sender=net.w.caseworker,
        obligation=Obligation.JOBCENTER,
        consent=None,
    )
    sender_pages = [
        ("get", reverse("referrals-detail", args=[referral.pk])),
        ("post", reverse("referrals-close", args=[referral.pk])),
        (
            "post",
            reverse("referrals-consent-revoke", args=[referral.pk, referral.consents.get().pk]),
        ),
    ]
    receiver_pages = [
        ("get", reverse("referrals-inbox-detail", args=[referral.pk])),
        ("post", reverse("referrals-inbox-action", args=[referral.pk, "accept"])),
        ("post", reverse("referrals-inbox-action", args=[referral.pk, "decline"])),
    ]
    outside_counsellor = member(net.outside, Role.COUNSELLOR, username="elsewhere-mbe")
    # another counsellor, a counsellor elsewhere, another Jobcenter, receiving staff
    for user in (
        net.other_counsellor,
        outside_counsellor,
        net.w.other_caseworker,
        net.receiver_staff,
    ):
        client.force_login(user)
        for method, url in sender_pages:
            assert getattr(client, method)(url).status_code == 404, (user, url)
    # the other Jobcenter cannot see the Jobcenter's referral either
    client.force_login(net.w.other_caseworker)
    assert client.get(reverse("referrals-detail", args=[jobcenter_referral.pk])).status_code == 404
    # a provider not party to it, and the sending provider's own staff
    for user in (net.outsider_staff, net.w.b.staff):
        client.force_login(user)
        for method, url in receiver_pages:
            assert getattr(client, method)(url).status_code == 404, (user, url)
    # the colleagues of the Jobcenter see its referral
    client.force_login(net.w.caseworker)
    assert client.get(reverse("referrals-detail", args=[jobcenter_referral.pk])).status_code == 200
    referral.refresh_from_db()
    assert referral.status == Status.SENT and referral.consents.get().revoked_at is None


def test_people_without_a_role_are_refused(client, net):
    client.force_login(net.w.a.teacher)
    assert client.get(reverse("referrals-list")).status_code == 403
    assert client.get(reverse("referrals-inbox")).status_code == 403


def test_revoked_consent_hides_the_data_from_the_receiver_at_once(client, net):
    referral = send(net)
    client.force_login(net.receiver_staff)
    assert (
        "Haddad"
        in client.get(reverse("referrals-inbox-detail", args=[referral.pk])).content.decode()
    )
    client.force_login(net.counsellor)
    client.post(reverse("referrals-consent-revoke", args=[referral.pk, referral.consents.get().pk]))
    client.force_login(net.receiver_staff)
    for url in (reverse("referrals-inbox-detail", args=[referral.pk]), reverse("referrals-inbox")):
        body = client.get(url).content.decode()
        assert "Haddad" not in body and "Amal" not in body and "0151" not in body


def test_receiver_accepts_matches_and_enrolment_page_moves_it_to_enrolled(client, net):
    learner = LearnerFactory(
        provider=net.receiver,
        first_name="Amal",
        last_name="Haddad",
        date_of_birth=dt.date(1990, 4, 2),
    )
    referral = send(net)
    client.force_login(net.receiver_staff)
    client.post(reverse("referrals-inbox-action", args=[referral.pk, "accept"]))
    page = client.get(reverse("referrals-inbox-detail", args=[referral.pk])).content.decode()
    assert f'value="{learner.pk}"' in page  # proposed as a probable duplicate
    client.post(
        reverse("referrals-inbox-action", args=[referral.pk, "match"]), {"learner": learner.pk}
    )
    referral.refresh_from_db()
    assert referral.learner == learner and referral.status == Status.ACCEPTED
    # the normal enrolment page
    response = client.post(
        reverse("enrolment-staff-enrol", args=[net.w.a.course.pk]), {"learner": learner.pk}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ENROLLED and referral.enrolled_at


def test_decline_with_a_reason_from_the_list(client, net):
    referral = send(net)
    client.force_login(net.receiver_staff)
    client.post(
        reverse("referrals-inbox-action", args=[referral.pk, "decline"]), {"reason": "nonsense"}
    )
    referral.refresh_from_db()
    assert referral.status == Status.SENT
    client.post(
        reverse("referrals-inbox-action", args=[referral.pk, "decline"]), {"reason": "no_places"}
    )
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED and referral.decline_reason == "no_places"


def test_an_unknown_action_is_404(client, net):
    referral = send(net)
    client.force_login(net.receiver_staff)
    assert (
        client.post(reverse("referrals-inbox-action", args=[referral.pk, "explode"])).status_code
        == 404
    )


def test_dashboard_tiles(net):
    from django.utils import timezone, translation

    from core.dashboard import tiles

    referral = send(net)
    Referral.objects.filter(pk=referral.pk).update(stalled_at=timezone.now())
    with translation.override("en"):
        found = {
            t.label: t.count
            for t in tiles(
                user=net.receiver_staff, provider_ids=[net.receiver.pk], today=timezone.localdate()
            )
        }
    assert found["new referrals received"] == 1 and found["stalled referrals"] == 1


def test_the_sender_sees_the_course_only_with_consent_to_more(client, net):
    from enrolment import services as enrolment_services

    learner = LearnerFactory(provider=net.receiver)
    plain = send(net)
    more = send(
        net,
        first_name="Other",
        consent=consent(DataItem.IDENTITY, DataItem.CONTACT, DataItem.LANGUAGES, DataItem.PROGRESS),
    )
    for referral in (plain, more):
        services.referral_accept(referral=referral, by=net.receiver_staff, learner=learner)
    enrolment_services.enrolment_create(
        course=net.w.a.course, learner=learner, by=net.receiver_staff
    )
    client.force_login(net.counsellor)
    course_name = str(net.w.a.course)
    assert (
        course_name not in client.get(reverse("referrals-detail", args=[plain.pk])).content.decode()
    )
    assert course_name in client.get(reverse("referrals-detail", args=[more.pk])).content.decode()


def test_a_counsellor_lands_on_their_referrals(client, net):
    client.force_login(net.counsellor)
    assert client.get("/").url == reverse("referrals-list")


def test_the_receiver_records_a_revocation_too(client, net):
    referral = send(net)
    client.force_login(net.receiver_staff)
    client.post(reverse("referrals-inbox-action", args=[referral.pk, "revoke"]))
    assert referral.consents.get().revoked_at is not None
    assert (
        "Haddad"
        not in client.get(reverse("referrals-inbox-detail", args=[referral.pk])).content.decode()
    )


def test_a_jobcenter_reading_the_consented_course_is_logged(client, net):
    from enrolment import services as enrolment_services
    from jobcenter.models import AccessLogRecord

    learner = LearnerFactory(provider=net.receiver)
    referral = send(
        net,
        sender_organisation=net.w.jobcenter,
        sender=net.w.caseworker,
        consent=consent(DataItem.IDENTITY, DataItem.CONTACT, DataItem.LANGUAGES, DataItem.PROGRESS),
    )
    services.referral_accept(referral=referral, by=net.receiver_staff, learner=learner)
    enrolment_services.enrolment_create(
        course=net.w.a.course, learner=learner, by=net.receiver_staff
    )
    client.force_login(net.w.caseworker)
    assert (
        str(net.w.a.course)
        in client.get(reverse("referrals-detail", args=[referral.pk])).content.decode()
    )
    assert AccessLogRecord.objects.filter(learner=learner).exists()


def test_a_restricted_learner_hides_the_referral_from_the_inbox(client, net):
    from django.utils import timezone

    from people.models import Learner

    learner = LearnerFactory(provider=net.receiver)
    referral = send(net)
    services.referral_accept(referral=referral, by=net.receiver_staff, learner=learner)
    Learner.all_objects.filter(pk=learner.pk).update(restricted_at=timezone.now())
    client.force_login(net.receiver_staff)
    assert client.get(reverse("referrals-inbox-detail", args=[referral.pk])).status_code == 404
