"""Staff pages of billing: the module list, the claim, acknowledge and issue, XLSX and PDF.
Outsiders (another provider's staff, teachers, learners) get 404."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from attendance.models import SessionSignOff
from billing.models import Claim, Finding
from billing.services import claim_issue, claim_open
from tests.billing.conftest import inge_reported
from tests.certificates.helpers import pdf_pages, pdf_text, running_course
from tests.factories import EnrolmentFactory, LearnerFactory, UserFactory, register_fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(bill):
    return claim_open(course=bill.course, module=bill.module)


def outsiders(bill):
    learner_user = UserFactory()
    LearnerFactory(provider=bill.a.provider, user=learner_user)
    return [bill.world.b.staff, bill.a.teacher, bill.a.other_teacher, learner_user]


def test_staff_see_their_modules_with_claim_status(bill, client, claim):
    client.force_login(bill.a.staff)
    r = client.get(reverse("billing-home"))
    assert r.status_code == 200
    body = r.content.decode()
    assert reverse("billing-claim", args=[claim.pk]) in body
    # Modules without a claim offer to prepare one; other providers' courses are not listed.
    rows = r.context["rows"]
    assert {row.course.pk for row in rows} == {bill.course.pk, bill.a.course.pk}
    mine = [row for row in rows if row.course == bill.course]
    assert len(mine) == 7  # the general course: 6 language modules + orientation
    assert [row.finished for row in mine] == [True] * 7


def test_the_module_list_pins_its_queries(bill, client, django_assert_num_queries):
    client.force_login(bill.a.staff)
    client.get(reverse("billing-home"))  # warm caches (content types, session)
    with django_assert_num_queries(7) as first:
        client.get(reverse("billing-home"))
    other = running_course(bill.a.provider, location=bill.a.location, bamf_course_number="IK-2")
    for _ in range(5):
        EnrolmentFactory(course=other, learner=LearnerFactory(provider=bill.a.provider))
    claim_open(course=other, module=other.first_module)
    with django_assert_num_queries(len(first.captured_queries)):
        r = client.get(reverse("billing-home"))
    assert len(r.context["rows"]) == 21


@pytest.mark.parametrize("who", range(4))
def test_outsiders_get_404_everywhere(bill, client, claim, who):
    finding = Finding.objects.create(claim=claim, kind=Finding.Kind.NO_COURSE_NUMBER, key="x")
    client.force_login(outsiders(bill)[who])
    gets = [
        reverse("billing-claim", args=[claim.pk]),
        reverse("billing-claim-xlsx", args=[claim.pk]),
        reverse("billing-claim-pdf", args=[claim.pk]),
    ]
    posts = [
        reverse("billing-claim-open", args=[bill.course.pk, bill.module.pk]),
        reverse("billing-finding-acknowledge", args=[claim.pk, finding.pk]),
        reverse("billing-claim-issue", args=[claim.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    if who != 0:  # another provider's staff may have a billing page of their own
        assert client.get(reverse("billing-home")).status_code == 404
    claim.refresh_from_db()
    finding.refresh_from_db()
    assert claim.status == Claim.Status.DRAFT and not finding.acknowledged


def test_anonymous_is_sent_to_login(claim, client):
    r = client.get(reverse("billing-claim", args=[claim.pk]))
    assert r.status_code == 302 and "login" in r["Location"]


def test_staff_open_acknowledge_and_issue_on_the_pages(bill, client):
    SessionSignOff.objects.filter(session=bill.days[1]).delete()
    client.force_login(bill.a.staff)
    r = client.post(reverse("billing-claim-open", args=[bill.course.pk, bill.module.pk]))
    claim = Claim.objects.get(course=bill.course, module=bill.module)
    assert r.status_code == 302 and r["Location"] == reverse("billing-claim", args=[claim.pk])
    r = client.get(r["Location"])
    assert r.status_code == 200
    finding = Finding.objects.get(claim=claim)
    assert finding.kind == Finding.Kind.UNSIGNED_DAY
    assert bill.days[1].date.strftime("%d.%m.%Y") in r.content.decode()
    client.post(reverse("billing-claim-issue", args=[claim.pk]))
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DRAFT
    client.post(
        reverse("billing-finding-acknowledge", args=[claim.pk, finding.pk]),
        {"reason": "Unterschrift auf Papier liegt vor"},
    )
    client.post(reverse("billing-claim-issue", args=[claim.pk]))
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.ISSUED


def test_xlsx_holds_the_claims_figures(bill, client, claim):
    bill.learners[0].first_name = "=HYPERLINK(1)"
    bill.learners[0].save()
    claim_issue(claim=claim, by=bill.a.staff)
    client.force_login(bill.a.staff)
    r = client.get(reverse("billing-claim-xlsx", args=[claim.pk]))
    assert r.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    assert len(data) == 3
    claim.refresh_from_db()
    column = next(i for i, h in enumerate(header) if h in ("Erstattung (€)", "Reimbursement (€)"))
    assert sum(Decimal(str(row[column])) for row in data) == claim.reimbursement_total
    names = [row[0] for row in data]
    assert any(str(n).startswith("'=") for n in names)


def test_xlsx_holds_travel_subsidy_and_test_fees(bill, travel_and_fees, client, claim):
    claim_issue(claim=claim, by=bill.a.staff)
    client.force_login(bill.a.staff)
    r = client.get(reverse("billing-claim-xlsx", args=[claim.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["Claim", "Test fees", "Totals"]
    rows = list(book["Claim"].iter_rows(values_only=True))
    header, data = rows[0], rows[1:]
    days, subsidy = header.index("Travel subsidy days"), header.index("Travel subsidy (€)")
    by_name = {row[0]: (row[days], Decimal(str(row[subsidy]))) for row in data}
    a, b, c = (f"{x.first_name} {x.last_name}" for x in bill.learners)
    # by hand: learner 0 exempt, applied before the module, 19 of 20 days counted × 2.50 €
    assert by_name == {
        a: (19, Decimal("47.5")),
        b: (0, Decimal("0")),
        c: (0, Decimal("0")),
    }
    fees = [row for row in book["Test fees"].iter_rows(values_only=True)]
    assert fees[0] == ("Test", "Learner", "Day", "Fee (€)", "Rule valid from", "Rule source")
    got = {(row[0], row[1], row[2].date(), Decimal(str(row[3])), row[5]) for row in fees[1:]}
    assert got == {
        ("Placement test", a, dt.date(2025, 12, 1), Decimal("40"), "ET-C"),
        ("German test for immigrants (DTZ)", a, dt.date(2026, 1, 14), Decimal("100"), "DTZ-A"),
        ("German test for immigrants (DTZ)", b, dt.date(2026, 1, 20), Decimal("120"), "DTZ-B"),
    }
    totals = {
        row[0]: Decimal(str(row[1]))
        for row in book["Totals"].iter_rows(min_row=2, values_only=True)
    }
    assert totals["Reimbursement (€)"] == Decimal("1351.1")  # 95 × 4.58 + 2 × 100 × 4.58
    assert totals["Own contributions (€)"] == Decimal("458")  # 2 × 100 × 2.29
    assert totals["Travel subsidy days"] == 19
    assert totals["Travel subsidy (€)"] == Decimal("47.5")
    assert totals["Test fees (€)"] == Decimal("260")  # 40 + 100 + 120


def test_pdf_figures_equal_the_claim(bill, client, claim):
    claim_issue(claim=claim, by=bill.a.staff)
    claim.refresh_from_db()
    client.force_login(bill.a.staff)
    r = client.get(reverse("billing-claim-pdf", args=[claim.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(r.content).split())
    assert "IK-123/2026" in text
    for line in claim.lines.all():
        assert line.learner_name in text and line.bamf_number in text
    assert text.count("458,00") + text.count("458.00") == 3
    total = f"{claim.reimbursement_total}"
    assert total in text or total.replace(".", ",") in text
    contributions = f"{claim.contribution_total}"
    assert contributions in text or contributions.replace(".", ",") in text
    # One print job: the module's attendance list follows the billing list.
    assert "Anwesenheitsliste" in text
    assert pdf_pages(r.content) >= 2


def test_the_claim_page_pins_its_queries(
    bill, client, claim, django_assert_num_queries, django_assert_max_num_queries
):
    """A draft claim page: computing, pre-check, findings and contributions — the same number of
    queries for three learners as for eight."""
    client.force_login(bill.a.staff)
    url = reverse("billing-claim", args=[claim.pk])
    client.get(url)
    with django_assert_max_num_queries(60) as first:
        client.get(url)
    for _ in range(5):
        e = EnrolmentFactory(
            course=bill.course, learner=LearnerFactory(provider=bill.a.provider, bamf_number="K")
        )
        inge_reported(bill.course, [e], bill.a.staff)
        register_fill(e, bill.days, ["X"] * len(bill.days))
    with django_assert_num_queries(len(first.captured_queries)):
        r = client.get(url)
    assert len(r.context["table"].rows) == 8


def test_a_module_without_a_rate_in_force_says_so(bill, client, claim):
    from billing.models import ReimbursementRate

    ReimbursementRate.objects.update(valid_from="2026-02-01")
    client.force_login(bill.a.staff)
    r = client.get(reverse("billing-claim", args=[claim.pk]))
    assert r.status_code == 200
    assert "05.01.2026" in r.content.decode()  # the message names the day without a rate
