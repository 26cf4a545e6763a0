"""Own contributions: due per learner from the claim, payments recorded by staff, what is open."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from billing.models import ContributionPayment
from billing.selectors import claim_table, contributions
from billing.services import claim_issue, claim_open, payment_record
from core.errors import DomainError
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_payments_reduce_what_is_open(bill):
    claim = claim_open(course=bill.course, module=bill.module)
    claim_issue(claim=claim, by=bill.a.staff)
    e = bill.enrolments[0]
    payment_record(
        claim=claim,
        enrolment=e,
        amount=Decimal("100.00"),
        paid_on=dt.date(2026, 1, 5),
        method="cash",
        by=bill.a.staff,
    )
    rows = {r.enrolment_id: r for r in contributions(claim, claim_table(claim))}
    assert rows[e.pk].due == Decimal("229.00") and rows[e.pk].paid == Decimal("100.00")
    assert rows[e.pk].open == Decimal("129.00")
    assert rows[bill.enrolments[1].pk].open == Decimal("229.00")


@pytest.mark.parametrize(
    ("amount", "method", "code"),
    [(Decimal(0), "cash", "amount_invalid"), (Decimal(5), "bitcoin", "method_invalid")],
)
def test_a_payment_needs_an_amount_and_a_method(bill, amount, method, code):
    claim = claim_open(course=bill.course, module=bill.module)
    with pytest.raises(DomainError) as exc:
        payment_record(
            claim=claim,
            enrolment=bill.enrolments[0],
            amount=amount,
            paid_on=dt.date(2026, 1, 5),
            method=method,
            by=bill.a.staff,
        )
    assert exc.value.code == code


def test_staff_record_a_payment_on_the_page_and_outsiders_cannot(bill, client):
    claim = claim_open(course=bill.course, module=bill.module)
    url = reverse("billing-payment-record", args=[claim.pk])
    data = {
        "enrolment": bill.enrolments[0].pk,
        "amount": "229,00",
        "paid_on": "2026-01-05",
        "method": "transfer",
    }
    for outsider in (bill.world.b.staff, bill.a.teacher):
        client.force_login(outsider)
        assert client.post(url, data).status_code == 404
    client.force_login(bill.a.staff)
    # An enrolment of another course is not found through this claim.
    elsewhere = EnrolmentFactory(course=bill.a.course, learner=bill.learners[0])
    other = dict(data, enrolment=elsewhere.pk)
    assert client.post(url, other).status_code == 404
    assert client.post(url, data).status_code == 302
    payment = ContributionPayment.objects.get()
    assert payment.amount == Decimal("229.00") and payment.recorded_by == bill.a.staff
    page = client.get(reverse("billing-claim", args=[claim.pk])).content.decode()
    assert "229,00" in page or "229.00" in page
