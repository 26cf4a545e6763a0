"""Every read of a referred person's data from outside the provider holding their record is
written to the access log (the Jobcenter's one), and the learner's "who saw my data" page
shows it once the referral is matched to their record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enrolment.services import learner_account_create
from jobcenter.models import AccessLogEntry, AccessLogRecord
from referrals import services
from referrals.models import Consent, DataItem, Obligation
from tests.referrals.conftest import consent, send

pytestmark = pytest.mark.django_db


def test_the_receivers_reads_are_logged_and_reach_the_learner(client, net):
    referral = send(net)  # identity, contact, languages
    client.force_login(net.receiver_staff)
    assert client.get(reverse("referrals-inbox-detail", args=[referral.pk])).status_code == 200
    entry = AccessLogEntry.objects.get()
    assert entry.channel == AccessLogEntry.Channel.REFERRAL
    assert entry.jobcenter_id == net.receiver.pk and entry.user == net.receiver_staff
    record = entry.learner_rows.get()
    assert record.learner_id is None and record.subject == f"referral:{referral.pk}"
    assert record.fields == [
        "referral.identity",
        "referral.contact",
        "referral.languages",
        "basis.consent",
    ]

    client.get(reverse("referrals-inbox"))  # the list shows the name only
    listed = AccessLogRecord.objects.exclude(entry=entry).get()
    assert listed.fields == ["referral.identity", "basis.consent"]

    services.referral_accept(referral=referral, by=net.receiver_staff)
    learner = services.referral_learner_create(referral=referral, by=net.receiver_staff)
    assert set(AccessLogRecord.objects.values_list("learner_id", flat=True)) == {learner.pk}

    learner.preferred_language = "en"
    learner.save(update_fields=["preferred_language"])
    user = learner_account_create(learner=learner)
    client.force_login(user)
    page = client.get(reverse("learner-data-access")).content.decode()
    assert page.count("received your referral to its courses") == 2
    assert "your name and date of birth" in page and "your phone number and e-mail" in page
    assert "you agreed to it" in page and str(net.receiver) in page


def test_the_senders_reads_are_logged(client, net):
    referral = send(
        net, consent=consent(DataItem.IDENTITY, DataItem.PROGRESS), phone="", languages=""
    )
    client.force_login(net.counsellor)
    client.get(reverse("referrals-detail", args=[referral.pk]))
    client.get(reverse("referrals-list"))
    entries = list(AccessLogEntry.objects.order_by("pk"))
    assert [e.channel for e in entries] == ["referral", "referral"]
    assert {e.jobcenter_id for e in entries} == {net.sender_org.pk}
    assert [r.fields for r in AccessLogRecord.objects.order_by("pk")] == [
        ["referral.status", "basis.consent"],
        ["referral.status", "basis.consent"],
    ]

    obliged = send(
        net,
        sender_organisation=net.w.jobcenter,
        sender=net.w.caseworker,
        obligation=Obligation.JOBCENTER,
        consent=None,
    )
    client.force_login(net.w.caseworker)
    client.get(reverse("referrals-detail", args=[obliged.pk]))
    entry = AccessLogEntry.objects.latest("pk")
    assert entry.channel == AccessLogEntry.Channel.PORTAL
    assert entry.jobcenter_id == net.w.jobcenter.pk
    assert entry.learner_rows.get().fields == ["referral.status", "basis.obligation"]


def test_nothing_is_logged_when_nothing_personal_was_shown(client, net):
    referral = send(net, consent=consent(method=Consent.Method.LOGIN_CODE))
    client.force_login(net.receiver_staff)
    client.get(reverse("referrals-inbox-detail", args=[referral.pk]))
    client.get(reverse("referrals-inbox"))
    assert not AccessLogEntry.objects.exists()
    services.consent_confirm(code=referral.consent_code)
    client.get(reverse("referrals-inbox-detail", args=[referral.pk]))
    assert AccessLogRecord.objects.get().fields[0] == "referral.identity"


def test_outsiders_reading_nothing_log_nothing(client, net):
    referral = send(net)
    client.force_login(net.outsider_staff)
    assert client.get(reverse("referrals-inbox-detail", args=[referral.pk])).status_code == 404
    client.force_login(net.other_counsellor)
    assert client.get(reverse("referrals-detail", args=[referral.pk])).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_the_jobcenters_status_read_by_api_is_logged(api_client, net):
    from tests.jobcenter.helpers import api_key, auth

    referral = send(
        net,
        sender_organisation=net.w.jobcenter,
        sender=net.w.caseworker,
        obligation=Obligation.JOBCENTER,
        consent=None,
    )
    key = api_key(net.w.jobcenter)
    assert api_client.get(f"/api/v1/referrals/{referral.pk}/", **auth(key)).status_code == 200
    record = AccessLogRecord.objects.get()
    assert record.entry.channel == AccessLogEntry.Channel.API
    assert record.subject == f"referral:{referral.pk}"
    assert record.fields == ["referral.status", "basis.obligation"]
    other = api_key(net.w.other_jobcenter)
    assert api_client.get(f"/api/v1/referrals/{referral.pk}/", **auth(other)).status_code == 404
    assert AccessLogRecord.objects.count() == 1
