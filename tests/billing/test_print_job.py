"""The print job of a claim: billing list, attendance list and the daily signature sheets of the
module in one PDF (read back with pypdf)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from attendance.models import Code
from billing.services import claim_issue, claim_open
from courses.models import Session
from enrolment.models import Enrolment
from tests.billing.conftest import mark
from tests.factories import EnrolmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db


def pages_text(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def print_job(client, claim) -> list[str]:
    r = client.get(reverse("billing-claim-pdf", args=[claim.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    return pages_text(r.content)


def sheets_of(pages: list[str]) -> list[str]:
    """The signature sheets: the pages after the attendance list (the billing list before it
    runs to a second page once its table and the test fees no longer fit on one)."""
    first = next(i for i, page in enumerate(pages) if "Anwesenheitsliste – Kursabschnitt" in page)
    return pages[first + 1 :]


def euros(value: Decimal) -> str:
    """As the German billing list prints it: decimal comma."""
    return f"{value:.2f}".replace(".", ",")


def test_the_billing_list_shows_the_claims_figures(bill, client):
    mark(bill.enrolments[0], bill.days[3], Code.UNEXCUSED)  # learner 0: 95 billable UE
    claim = claim_open(course=bill.course, module=bill.module)
    claim_issue(claim=claim, by=bill.a.staff)
    claim.refresh_from_db()
    client.force_login(bill.a.staff)
    first = print_job(client, claim)[0]
    # by hand: 95 × 4.58 = 435.10; 100 × 4.58 = 458.00 twice; total 1351.10 for 295 UE
    assert claim.reimbursement_total == Decimal("1351.10")
    for line in claim.lines.all():
        assert line.learner_name in first and line.bamf_number in first
        assert euros(line.reimbursement) in first
    assert first.count("458,00") == 2 and "435,10" in first
    assert first.count("1351,10") == 2, first  # the summary and the total row
    assert first.count(euros(claim.contribution_total)) >= 2  # 3 × 100 × 2.29 = 687.00
    assert claim.contribution_total == Decimal("687.00")
    assert "295,00" in first and "IK-123/2026" in first


def test_the_print_job_holds_a_signature_sheet_for_every_course_day(bill, client):
    claim = claim_open(course=bill.course, module=bill.module)
    client.force_login(bill.a.staff)
    pages = print_job(client, claim)
    days = len(bill.days)
    assert days == 20
    # billing list (1 page), attendance list (20 days: 1 page), one sheet per day (3 learners)
    assert len(pages) == 1 + 1 + days
    assert "Anwesenheitsliste" in pages[1]
    sheets = pages[2:]
    for day, page in zip(bill.days, sheets, strict=True):
        assert "Unterschriftenliste" in page or "Unterschrift" in page
        assert day.date.strftime("%d.%m.%Y") in page
    # Two course days cancelled: two sheets fewer.
    Session.objects.filter(pk__in=[bill.days[4].pk, bill.days[9].pk]).update(
        status=Session.Status.CANCELLED
    )
    assert len(print_job(client, claim)) == 1 + 1 + days - 2


def test_the_sheets_list_the_learners_of_the_module_each_day(bill, client, world):
    late = LearnerFactory(provider=bill.a.provider, last_name="Spätstarter", bamf_number="K-L")
    EnrolmentFactory(course=bill.course, learner=late, start_date=bill.days[10].date)
    gone = LearnerFactory(provider=bill.a.provider, last_name="Frühgeher", bamf_number="K-G")
    EnrolmentFactory(
        course=bill.course,
        learner=gone,
        status=Enrolment.Status.WITHDRAWN,
        ended_on=bill.days[4].date,
        withdrawal_reason="moved",
        start_date=bill.course.start_date,
    )
    elsewhere = LearnerFactory(provider=bill.a.provider, last_name="Anderskurs")
    EnrolmentFactory(course=bill.a.course, learner=elsewhere)
    stranger = LearnerFactory(provider=world.b.provider, last_name="Fremdträger")
    EnrolmentFactory(course=world.b.course, learner=stranger)
    claim = claim_open(course=bill.course, module=bill.module)
    client.force_login(bill.a.staff)
    sheets = sheets_of(print_job(client, claim))
    assert len(sheets) == len(bill.days)
    for index, page in enumerate(sheets):
        for learner in bill.learners:
            assert f"{learner.last_name}, {learner.first_name}" in page
            assert learner.bamf_number in page
        assert ("Spätstarter" in page) == (index >= 10), index
        assert ("Frühgeher" in page) == (index <= 4), index
        assert "Anderskurs" not in page and "Fremdträger" not in page


def test_an_absent_learner_is_crossed_out_on_the_days_sheet(bill, client):
    mark(bill.enrolments[0], bill.days[2], Code.EXCUSED)
    claim = claim_open(course=bill.course, module=bill.module)
    client.force_login(bill.a.staff)
    sheets = sheets_of(print_job(client, claim))
    assert "(E)" in sheets[2] and "(E)" not in sheets[1]


def test_the_billing_list_shows_travel_subsidy_and_test_fees(bill, travel_and_fees, client):
    claim = claim_issue(claim=claim_open(course=bill.course, module=bill.module), by=bill.a.staff)
    client.force_login(bill.a.staff)
    first = print_job(client, claim)[0]
    line = claim.lines.get(enrolment=bill.enrolments[0])
    # by hand: 19 days × 2.50 € (one unexcused day of 20) = 47.50 €, on learner 0 only
    assert (line.travel_days, line.travel_subsidy) == (19, Decimal("47.50"))
    assert first.count("47,50") == 3, first  # summary, the line, the total row
    assert "47,50 € (19 Tage)" in first
    assert f"{line.learner_name}" in first and " 19 47,50 " in first + " "
    # The others: 0 days, 0.00 €; the total row sums the three lines.
    assert first.count(" 0 0,00") == 2
    # Fees with their rule versions, by hand: 40 + 100 + 120 = 260.00 €
    for text in (
        "Einstufungstest",
        "01.12.2025 gültig ab 01.01.2024 · ET-C 40,00",
        "14.01.2026 gültig ab 01.01.2024 · DTZ-A 100,00",
        "20.01.2026 gültig ab 15.01.2026 · DTZ-B 120,00",
    ):
        assert text in first, text
    assert first.count("260,00") == 2  # summary and the fees' total row
    frozen = {(f.kind, f.amount) for f in claim.test_fees.all()}
    assert frozen == {
        ("placement", Decimal("40.00")),
        ("dtz", Decimal("100.00")),
        ("dtz", Decimal("120.00")),
    }
