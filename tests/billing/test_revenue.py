"""The revenue report: expected vs billed vs paid per module, course, location and month, UE lost
to unexcused absence, claims held back by findings; its XLSX; BAMF payments on issued claims.

The register is built by hand and every expected figure below is computed by hand from the rule
data of the seed migration (4.58 € per billable UE; 2.29 € own contribution per UE held; X and
P count as attended, E the whole day, U and W not)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from attendance.models import Code
from billing.models import BamfPayment, BillableCode, ModuleFigures
from billing.selectors.revenue import Period, revenue_modules
from billing.services import (
    bamf_payment_record,
    claim_issue,
    claim_open,
    claim_refresh,
    payment_record,
)
from core.errors import DomainError
from people.models import Role
from tests.billing.conftest import inge_reported, mark, module_days
from tests.certificates.helpers import running_course
from tests.factories import (
    EnrolmentFactory,
    LearnerFactory,
    LocationFactory,
    SessionSignOffFactory,
    UserFactory,
    member,
    register_fill,
)

pytestmark = pytest.mark.django_db

JANUARY = {"from": "2026-01-01", "to": "2026-01-31"}
JANUARY_PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
RATE, OWN = Decimal("4.58"), Decimal("2.29")


@pytest.fixture
def books(bill):
    """Module 1 of ``bill.course`` (location A, 20 days of 5 UE, three learners): learner 0
    unexcused on two days, learner 1 excused on one. A second course at location B, two
    learners always present, one day left unsigned: its draft claim is held back."""
    mark(bill.enrolments[0], bill.days[0], Code.UNEXCUSED)
    mark(bill.enrolments[0], bill.days[1], Code.UNEXCUSED)
    mark(bill.enrolments[1], bill.days[2], Code.EXCUSED)
    a = bill.a
    other_place = LocationFactory(organisation=a.provider, name="Außenstelle Elmshorn")
    second = running_course(
        a.provider, location=other_place, teachers=[a.teacher], bamf_course_number="IK-9/2026"
    )
    days = module_days(second)
    for learner in (LearnerFactory(provider=a.provider, bamf_number=f"L-{n}") for n in range(2)):
        enrolment = EnrolmentFactory(course=second, learner=learner)
        register_fill(enrolment, days, [Code.PRESENT] * len(days))
        inge_reported(second, [enrolment], a.staff)
    for day in days[1:]:
        SessionSignOffFactory(session=day, signed_by=a.teacher)
    held = claim_open(course=second, module=second.first_module)
    claim_refresh(claim=held)
    bill.second, bill.held = second, held
    return bill


def by_course(revenue, course):
    return next(m for m in revenue.modules if m.course.pk == course.pk)


def courses_of(user):
    from billing.access import billing_courses

    return billing_courses(user=user)


# --- figures --------------------------------------------------------------------------------------


def test_expected_figures_from_the_register(books):
    revenue = revenue_modules(courses=courses_of(books.a.staff), period=JANUARY_PERIOD)
    assert {(m.course.pk, m.module.order) for m in revenue.modules} == {
        (books.course.pk, 1),
        (books.second.pk, 1),
    }
    first = by_course(revenue, books.course)
    # billable: learner 0 18 days × 5 = 90, learner 1 19 × 5 + 5 (E, whole day) = 100, learner 2 100
    assert first.billable_ue == Decimal(290)
    assert first.expected == Decimal("1328.20")  # 290 × 4.58
    assert first.expected_contributions == Decimal("687.00")  # 3 × 100 UE held × 2.29
    assert first.billed == first.bamf_paid == first.contributions_paid == Decimal(0)
    assert first.status == "" and first.month == "2026-01" and first.finished
    assert first.lost_ue == Decimal(10)  # two U days of 5 UE
    assert first.lost_share == Decimal(10) / Decimal(300)
    assert not first.held_back
    second = by_course(revenue, books.second)
    assert second.expected == Decimal("916.00")  # 2 × 100 × 4.58
    assert second.lost_ue == 0 and second.lost_share == 0
    assert second.open_findings == 1 and second.held_back


def test_billed_and_paid_after_issue(books):
    claim = claim_open(course=books.course, module=books.module)
    claim_issue(claim=claim, by=books.a.staff)
    bamf_payment_record(
        claim=claim, amount=Decimal("1000.00"), paid_on=dt.date.today(), by=books.a.staff
    )
    bamf_payment_record(
        claim=claim, amount=Decimal("328.20"), paid_on=dt.date.today(), by=books.a.staff
    )
    payment_record(
        claim=claim,
        enrolment=books.enrolments[2],
        amount=Decimal("229.00"),
        paid_on=dt.date(2026, 2, 2),
        method="cash",
        by=books.a.staff,
    )
    revenue = revenue_modules(courses=courses_of(books.a.staff), period=JANUARY_PERIOD)
    first = by_course(revenue, books.course)
    assert first.issued
    assert first.billed == first.expected == Decimal("1328.20")
    assert first.billed_contributions == Decimal("687.00")
    assert first.bamf_paid == Decimal("1328.20")
    assert first.contributions_paid == Decimal("229.00")
    assert first.billable_ue == Decimal(290)  # from the issued lines


def test_unexcused_days_are_lost_only_while_the_rule_does_not_bill_them(books):
    """The lost UE follow the billable-code rule data: a version that bills U days in full from
    6 January on leaves only the U day of 5 January lost."""
    BillableCode.objects.create(
        code="U", valid_from=dt.date(2026, 1, 6), billable=True, basis="day", source="test"
    )
    revenue = revenue_modules(courses=courses_of(books.a.staff), period=JANUARY_PERIOD)
    assert by_course(revenue, books.course).lost_ue == Decimal(5)  # only 5 January


def test_period_and_provider_scope(books, world):
    outside = revenue_modules(
        courses=courses_of(books.a.staff), period=Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    )
    assert outside.modules == []
    theirs = revenue_modules(courses=courses_of(world.b.staff), period=JANUARY_PERIOD)
    assert theirs.modules == []


# --- the page and its XLSX ------------------------------------------------------------------------


def outsiders(world):
    learner_user = UserFactory()
    LearnerFactory(provider=world.a.provider, user=learner_user)
    volunteer = member(world.a.provider, Role.VOLUNTEER, username="a-volunteer")
    return [world.a.teacher, learner_user, world.caseworker, volunteer]


def test_the_page_shows_the_figures(books, client):
    client.force_login(books.a.staff)
    r = client.get(reverse("billing-revenue"), {**JANUARY, "provider": books.a.provider.pk})
    assert r.status_code == 200
    body = r.content.decode()
    assert "1.328,20" in body or "1,328.20" in body
    assert "916,00" in body or "916.00" in body
    held = next(t for t in r.context["tables"] if t["slug"] == "held-back")
    assert len(held["rows"]) == 1
    months = next(t for t in r.context["tables"] if t["slug"] == "months")
    assert [cell for cell, _num in months["rows"][0]][:2] == ["2026-01", "2.244,20"]
    assert r.context["charts"]["money"].startswith("data:image/svg+xml;base64,")


def test_the_xlsx_holds_the_same_figures(books, client):
    client.force_login(books.a.staff)
    r = client.get(reverse("billing-revenue-xlsx"), JANUARY)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert len(book.sheetnames) == 5
    locations = list(book.worksheets[2].iter_rows(values_only=True))
    header, rows = locations[0], locations[1:]
    expected = header.index(next(h for h in header if "(€)" in h))
    assert sorted(row[expected] for row in rows) == [916.0, 1328.2]
    lost = list(book.worksheets[0].iter_rows(values_only=True))[1][-1]
    assert lost == 2.0  # January: 10 UE lost of 290 + 200 billable + 10 lost = 500
    held = list(book.worksheets[4].iter_rows(values_only=True))
    assert len(held) == 2 and held[1][-1] == 916.0 and held[1][-2] == 1


@pytest.mark.parametrize("who", range(4))
def test_outsiders_get_404(books, client, world, who):
    client.force_login(outsiders(world)[who])
    for url in (reverse("billing-revenue"), reverse("billing-revenue-xlsx")):
        assert client.get(url, JANUARY).status_code == 404, url
    claim = claim_open(course=books.course, module=books.module)
    claim_issue(claim=claim, by=books.a.staff)
    r = client.post(
        reverse("billing-bamf-payment-record", args=[claim.pk]),
        {"amount": "10", "paid_on": dt.date.today().isoformat()},
    )
    assert r.status_code == 404
    assert not BamfPayment.objects.exists()


def test_other_providers_staff_see_only_their_own(books, client, world):
    client.force_login(world.b.staff)
    r = client.get(reverse("billing-revenue"), JANUARY)
    assert r.status_code == 200
    assert all(t["rows"] == [] for t in r.context["tables"])
    assert client.get(
        reverse("billing-revenue"), {"provider": books.a.provider.pk}
    ).status_code == (404)
    assert client.get(reverse("billing-revenue-xlsx"), {"provider": "x"}).status_code == 404
    claim = claim_open(course=books.course, module=books.module)
    claim_issue(claim=claim, by=books.a.staff)
    r = client.post(reverse("billing-bamf-payment-record", args=[claim.pk]), {"amount": "10"})
    assert r.status_code == 404 and not BamfPayment.objects.exists()


def test_anonymous_is_sent_to_login(client):
    r = client.get(reverse("billing-revenue"))
    assert r.status_code == 302 and "login" in r["Location"]


def test_the_page_pins_its_queries(books, client, django_assert_num_queries):
    """The same number of queries for two courses as for five, with issued and draft claims:
    cold (nothing stored: every module computed) and warm (every module's figures stored)."""
    client.force_login(books.a.staff)
    url = reverse("billing-revenue")
    client.get(url, JANUARY)
    ModuleFigures.objects.all().delete()
    with CaptureQueriesContext(connection) as cold:
        client.get(url, JANUARY)
    with CaptureQueriesContext(connection) as warm:
        client.get(url, JANUARY)
    assert len(warm.captured_queries) < len(cold.captured_queries)
    for n in range(3):
        course = running_course(
            books.a.provider, location=books.a.location, bamf_course_number=f"IK-{n}"
        )
        days = module_days(course)
        for learner in (
            LearnerFactory(provider=books.a.provider, bamf_number="K") for _ in range(n + 2)
        ):
            enrolment = EnrolmentFactory(course=course, learner=learner)
            inge_reported(course, [enrolment], books.a.staff)
            register_fill(
                enrolment,
                days,
                [Code.PRESENT if day != days[n] else Code.UNEXCUSED for day in days],
            )
        claim = claim_open(course=course, module=course.first_module)
        if n == 0:
            for day in days:
                SessionSignOffFactory(session=day, signed_by=books.a.teacher)
            claim_issue(claim=claim, by=books.a.staff)
            bamf_payment_record(
                claim=claim, amount=Decimal(1), paid_on=dt.date.today(), by=books.a.staff
            )
    ModuleFigures.objects.all().delete()
    with django_assert_num_queries(len(cold.captured_queries)):
        r = client.get(url, JANUARY)
    modules = next(t for t in r.context["tables"] if t["slug"] == "modules")
    assert len(modules["rows"]) == 5
    with django_assert_num_queries(len(warm.captured_queries)):
        assert client.get(url, JANUARY).context["tables"] == r.context["tables"]


# --- BAMF payments --------------------------------------------------------------------------------


def test_bamf_payment_only_on_an_issued_claim(bill, client):
    claim = claim_open(course=bill.course, module=bill.module)
    client.force_login(bill.a.staff)
    url = reverse("billing-bamf-payment-record", args=[claim.pk])
    r = client.post(url, {"amount": "1374,00", "paid_on": "2026-03-02"})
    assert r.status_code == 302 and not BamfPayment.objects.exists()
    claim_issue(claim=claim, by=bill.a.staff)
    claim.refresh_from_db()
    r = client.post(url, {"amount": "1374,00", "paid_on": dt.date.today().isoformat()})
    assert r.status_code == 302
    payment = BamfPayment.objects.get()
    assert payment.amount == Decimal("1374.00") and payment.recorded_by == bill.a.staff
    page = client.get(reverse("billing-claim", args=[claim.pk])).content.decode()
    assert "1374.00 €" in page or "1374,00 €" in page


@pytest.mark.parametrize(
    "amount, paid_on",
    [("0", "today"), ("-5", "today"), ("abc", "today"), ("10", "tomorrow"), ("10", "before")],
)
def test_bamf_payment_refuses_bad_input(bill, amount, paid_on):
    claim = claim_open(course=bill.course, module=bill.module)
    claim_issue(claim=claim, by=bill.a.staff)
    claim.refresh_from_db()
    day = {
        "today": dt.date.today(),
        "tomorrow": dt.date.today() + dt.timedelta(days=1),
        "before": claim.issued_at.date() - dt.timedelta(days=1),
    }[paid_on]
    try:
        value = Decimal(amount)
    except ArithmeticError:
        value = Decimal(0)
    with pytest.raises(DomainError):
        bamf_payment_record(claim=claim, amount=value, paid_on=day, by=bill.a.staff)
    assert not BamfPayment.objects.exists()


def test_a_rule_gap_is_reported_not_a_crash(books, client):
    from billing.models import ReimbursementRate

    ReimbursementRate.objects.update(valid_from="2026-02-01")
    client.force_login(books.a.staff)
    r = client.get(reverse("billing-revenue"), JANUARY)
    assert r.status_code == 200
    assert "05.01.2026" in r.content.decode()
