"""Pages of the own contribution: receipts (staff and the learner's own), exemption evidence and
travel-subsidy applications, evidence expiring, reminders. Outsiders get 404; list views pin
their queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from billing.models import ContributionReminder, FeeExemption, TravelSubsidyApplication
from billing.services import claim_open, reminders_send
from people.models import Role
from tests.billing.money import exempt, pay
from tests.certificates.helpers import pdf_text
from tests.factories import LearnerFactory, UserFactory, member

pytestmark = pytest.mark.django_db

START = dt.date(2026, 1, 5)


@pytest.fixture
def money(bill):
    claim = claim_open(course=bill.course, module=bill.module)
    payment = pay(claim, bill.enrolments[0], "100.00", START, bill.a.staff)
    user = UserFactory()
    bill.learners[0].user = user
    bill.learners[0].save()
    with override_settings(CONTRIBUTION_REMINDER_DAYS=(14,)):
        reminders_send(today=START + dt.timedelta(days=20))
    reminder = ContributionReminder.objects.filter(enrolment=bill.enrolments[0]).get()
    evidence = exempt(
        bill.learners[1],
        valid_from=dt.date(2025, 1, 1),
        valid_until=timezone.localdate() + dt.timedelta(days=10),
    )
    return claim, payment, reminder, evidence, user


def outsiders(bill):
    """Another provider's staff, a teacher, another learner, a Jobcenter caseworker, a
    volunteer of the provider."""
    other_learner = UserFactory()
    LearnerFactory(provider=bill.a.provider, user=other_learner)
    return {
        "other_staff": bill.world.b.staff,
        "teacher": bill.a.teacher,
        "other_learner": other_learner,
        "jobcenter": bill.world.caseworker,
        "volunteer": member(bill.a.provider, Role.VOLUNTEER),
    }


@pytest.mark.parametrize(
    "who", ["other_staff", "teacher", "other_learner", "jobcenter", "volunteer"]
)
def test_outsiders_get_404(bill, money, client, who):
    claim, payment, reminder, evidence, _user = money
    client.force_login(outsiders(bill)[who])
    learner = bill.learners[1]
    gets = [
        reverse("billing-receipt", args=[claim.pk, payment.pk]),
        reverse("billing-learner-exemptions", args=[learner.pk]),
        reverse("billing-reminder-letter", args=[reminder.pk]),
        reverse("learner-receipt-pdf", args=[payment.pk]),
    ]
    posts = [
        reverse("billing-exemption-record", args=[learner.pk]),
        reverse("billing-travel-record", args=[learner.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    data = {
        "ground": evidence.ground_id,
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
        "evidence": "x",
        "distance_km": "9",
    }
    for url in posts:
        assert client.post(url, data).status_code == 404, url
    for url in (reverse("billing-evidence"), reverse("billing-reminders")):
        response = client.get(url)
        if who == "other_staff":  # their own (empty) lists: nothing of ours
            assert response.status_code == 200
            assert bill.learners[1].last_name not in response.content.decode()
            assert bill.learners[0].last_name not in response.content.decode()
        else:
            assert response.status_code == 404, url
    assert FeeExemption.objects.count() == 1
    assert TravelSubsidyApplication.objects.count() == 0


def test_anonymous_is_sent_to_login(bill, money, client):
    claim, payment, *_ = money
    for url in (
        reverse("billing-receipt", args=[claim.pk, payment.pk]),
        reverse("learner-receipt-pdf", args=[payment.pk]),
        reverse("billing-reminders"),
    ):
        assert client.get(url).status_code == 302


def test_staff_and_the_learner_download_the_receipt(bill, money, client):
    claim, payment, _reminder, _evidence, user = money
    client.force_login(bill.a.staff)
    page = client.get(reverse("billing-claim", args=[claim.pk])).content.decode()
    receipt_url = reverse("billing-receipt", args=[claim.pk, payment.pk])
    assert receipt_url in page
    response = client.get(receipt_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "100,00 €" in pdf_text(response.content)
    # The learner, on the documents page, in their language.
    client.force_login(user)
    documents = client.get(reverse("learner-documents")).content.decode()
    own_url = reverse("learner-receipt-pdf", args=[payment.pk])
    assert own_url in documents
    response = client.get(own_url)
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Quittung" in text and "100,00 €" in text and "129,00 €" in text


def test_the_claim_page_shows_who_was_reminded(bill, money, client):
    claim, *_ = money
    client.force_login(bill.a.staff)
    body = client.get(reverse("billing-claim", args=[claim.pk])).content.decode()
    assert f"1. {timezone.localdate():%d.%m.%Y}" in body  # step 1, sent today
    reminders = client.get(reverse("billing-reminders"))
    assert reminders.status_code == 200
    names = {r.enrolment.learner.last_name for r in reminders.context["rows"]}
    assert names == {learner.last_name for learner in bill.learners}  # nobody paid in full
    letter = ContributionReminder.objects.get(enrolment=bill.enrolments[1])
    assert letter.channel == "letter"  # no e-mail address
    response = client.get(reverse("billing-reminder-letter", args=[letter.pk]))
    assert response.status_code == 200
    assert "229,00 €" in pdf_text(response.content)


def test_staff_record_evidence_and_a_travel_application(bill, money, client):
    _claim, _payment, _reminder, evidence, _user = money
    learner = bill.learners[2]
    client.force_login(bill.a.staff)
    page = reverse("billing-learner-exemptions", args=[learner.pk])
    assert client.get(page).status_code == 200
    url = reverse("billing-exemption-record", args=[learner.pk])
    bad = {
        "ground": evidence.ground_id,
        "valid_from": "2026-02-01",
        "valid_until": "2026-01-01",
        "evidence": "Bescheid",
    }
    assert client.post(url, bad).status_code == 302
    assert not FeeExemption.objects.filter(learner=learner).exists()
    good = dict(bad, valid_until="2026-07-31")
    assert client.post(url, good).status_code == 302
    row = FeeExemption.objects.get(learner=learner)
    assert (row.valid_from, row.valid_until, row.recorded_by) == (
        dt.date(2026, 2, 1),
        dt.date(2026, 7, 31),
        bill.a.staff,
    )
    before = timezone.now()
    response = client.post(
        reverse("billing-travel-record", args=[learner.pk]),
        {"distance_km": "6,4", "evidence": "Routenplaner", "recorded_at": "2025-01-01T00:00"},
    )
    assert response.status_code == 302
    application = TravelSubsidyApplication.objects.get(learner=learner)
    assert application.distance_km == Decimal("6.4")
    assert application.recorded_at >= before  # the posted date is ignored: never backdated


def test_expiring_evidence_is_listed(bill, money, client):
    client.force_login(bill.a.staff)
    response = client.get(reverse("billing-evidence"))
    assert [row.learner_id for row in response.context["rows"]] == [bill.learners[1].pk]
    exempt(bill.learners[2], valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2030, 1, 1))
    response = client.get(reverse("billing-evidence"))
    assert len(response.context["rows"]) == 1  # far from expiring


def test_list_views_pin_their_queries(bill, money, client, django_assert_num_queries):
    claim, _payment, _reminder, _evidence, user = money
    client.force_login(bill.a.staff)
    urls = [reverse("billing-evidence"), reverse("billing-reminders")]
    counts = {}
    for url in urls:
        client.get(url)
        with django_assert_num_queries(4) as captured:
            client.get(url)
        counts[url] = len(captured.captured_queries)
    more = [LearnerFactory(provider=bill.a.provider) for _ in range(4)]
    for learner in more:
        exempt(learner, valid_from=dt.date(2025, 1, 1), valid_until=timezone.localdate())
    with override_settings(CONTRIBUTION_REMINDER_DAYS=(14, 28)):
        reminders_send(today=START + dt.timedelta(days=30))
    for url in urls:
        with django_assert_num_queries(counts[url]):
            response = client.get(url)
        assert len(response.context["rows"]) > 1
    # The learner's documents page: the same count with more receipts.
    client.force_login(user)
    client.get(reverse("learner-documents"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("learner-documents"))
    pay(claim, bill.enrolments[0], "29.00", START, bill.a.staff)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("learner-documents"))
    assert len(response.context["page"].receipts) == 2
