"""Allowances: the limit of the year in force (840 € / 3,000 € until 2025, 960 € / 3,300 € from
2026), the declaration first, a warning before a payment would exceed it, expenses apart."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.errors import DomainError
from volunteers import services
from volunteers.models import AllowanceKind, AllowanceLimit, AllowancePayment

pytestmark = pytest.mark.django_db
EHRENAMT, UEBUNGSLEITER = AllowanceKind.VOLUNTEER, AllowanceKind.TRAINER


@pytest.mark.parametrize(
    ("year", "kind", "limit"),
    [
        (2020, EHRENAMT, "720.00"),
        (2021, EHRENAMT, "840.00"),
        (2025, EHRENAMT, "840.00"),
        (2026, EHRENAMT, "960.00"),
        (2025, UEBUNGSLEITER, "3000.00"),
        (2026, UEBUNGSLEITER, "3300.00"),
    ],
)
def test_the_limit_of_the_year_in_force(year, kind, limit):
    assert AllowanceLimit.for_year(kind, year).yearly_limit == Decimal(limit)


def pay(vw, amount, day, **kw):
    return services.allowance_pay(
        volunteer=vw.volunteer,
        kind=kw.pop("kind", EHRENAMT),
        paid_on=day,
        amount=Decimal(amount),
        by=vw.a.staff,
        **kw,
    )


def declare(vw, year, other="0.00", kind=EHRENAMT):
    services.allowance_declare(
        volunteer=vw.volunteer,
        year=year,
        kind=kind,
        other_payers_amount=Decimal(other),
        by=vw.a.staff,
    )


def test_no_payment_without_the_years_declaration(vw):
    with pytest.raises(DomainError) as exc:
        pay(vw, "100", dt.date(2026, 3, 1))
    assert exc.value.code == "declaration_missing"
    declare(vw, 2025)
    with pytest.raises(DomainError):
        pay(vw, "100", dt.date(2026, 3, 1))  # a 2025 declaration does not cover 2026


def test_2025_payments_warn_above_840_and_2026_payments_above_960(vw):
    declare(vw, 2025)
    declare(vw, 2026)
    pay(vw, "800", dt.date(2025, 6, 1))
    with translation.override("en"), pytest.raises(DomainError) as exc:
        pay(vw, "50", dt.date(2025, 12, 1))
    assert (exc.value.code, exc.value.status_code, exc.value.field) == (
        "allowance_limit_exceeded",
        409,
        "amount",
    )
    assert "above the limit of 840.00\u00a0€" in exc.value.message
    assert "(40.00\u00a0€ left)" in exc.value.message
    pay(vw, "40", dt.date(2025, 12, 1))  # exactly up to the limit: no warning
    # 2026 is a new year with the new limit
    pay(vw, "900", dt.date(2026, 1, 15))
    pay(vw, "60", dt.date(2026, 2, 1))
    with pytest.raises(DomainError) as exc:
        pay(vw, "0.01", dt.date(2026, 2, 2))
    assert exc.value.code == "allowance_limit_exceeded"


def test_confirmed_payment_above_the_limit_is_recorded_as_such(vw):
    declare(vw, 2026)
    pay(vw, "950", dt.date(2026, 1, 10))
    payment = pay(vw, "100", dt.date(2026, 2, 10), confirm_over_limit=True)
    assert payment.over_limit_confirmed
    assert AllowancePayment.objects.filter(volunteer=vw.volunteer).count() == 2


def test_other_payers_count_towards_the_limit(vw):
    declare(vw, 2026, other="500.00")
    with pytest.raises(DomainError):
        pay(vw, "461", dt.date(2026, 5, 1))
    pay(vw, "460", dt.date(2026, 5, 1))


def test_the_two_allowances_have_their_own_limits(vw):
    declare(vw, 2026)
    declare(vw, 2026, kind=UEBUNGSLEITER)
    pay(vw, "960", dt.date(2026, 3, 1))
    pay(vw, "3300", dt.date(2026, 3, 1), kind=UEBUNGSLEITER)


def test_expenses_are_kept_apart_and_count_towards_no_limit(vw):
    declare(vw, 2026)
    pay(vw, "960", dt.date(2026, 3, 1))
    services.expense_record(
        volunteer=vw.volunteer,
        paid_on=dt.date(2026, 3, 1),
        amount=Decimal("300.00"),
        purpose="Fahrkarten",
        by=vw.a.staff,
    )
    standing = services.allowance_standing(volunteer=vw.volunteer, kind=EHRENAMT, year=2026)
    assert standing.used_before == Decimal("960.00")


def test_the_page_shows_the_warning_and_keeps_the_input(vw, client):
    declare(vw, 2026)
    pay(vw, "900", dt.date(2026, 1, 10))
    client.force_login(vw.a.staff)
    url = reverse("volunteers-staff-volunteer-action", args=[vw.volunteer.pk, "pay"])
    r = client.post(
        url,
        {"kind": EHRENAMT, "paid_on": "2026-03-01", "amount": "100.00"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "above the limit of 960.00\u00a0€" in html and 'value="100.00"' in html
    r = client.post(
        url,
        {"kind": EHRENAMT, "paid_on": "2026-03-01", "amount": "100.00", "confirm_over_limit": "on"},
    )
    assert r.status_code == 302
    assert AllowancePayment.objects.filter(volunteer=vw.volunteer).count() == 2
