"""The revenue report's stored module figures (``ModuleFigures``): read while fresh, computed
again after a change to their inputs.

``bill``: module 1 (5–30 January 2026, 20 days of 5 UE), three learners present every day,
every day signed. By hand, from the seed rules (4.58 € per billable UE, 2.29 € own contribution
per UE held): 300 billable UE, 1374.00 € expected, 687.00 € own contributions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attendance.models import AttendanceRecord
from attendance.services.register import record_set
from billing.models import ModuleFigures, ReimbursementRate
from billing.selectors.revenue import Period, revenue_modules
from billing.services import figures_changed
from courses.models import Course

pytestmark = pytest.mark.django_db

JANUARY = Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))


def report(bill):
    revenue = revenue_modules(courses=Course.objects.filter(pk=bill.course.pk), period=JANUARY)
    assert not revenue.problem
    (row,) = revenue.modules
    return row


def stored(bill) -> ModuleFigures:
    return ModuleFigures.objects.get(course=bill.course, module=bill.module)


def test_the_first_load_stores_the_figures_and_the_next_reads_them(bill):
    with CaptureQueriesContext(connection) as cold:
        row = report(bill)
    assert (row.expected, row.expected_contributions, row.billable_ue) == (
        Decimal("1374.00"),
        Decimal("687.00"),
        Decimal(300),
    )
    figures = stored(bill)
    assert figures.reimbursement == Decimal("1374.00") and figures.until == dt.date(2026, 1, 30)
    assert figures.computed_at is not None and figures.changed_at is None
    # Read, not computed: a figure written into the store is what the report shows.
    ModuleFigures.objects.update(reimbursement=Decimal("1.00"))
    with CaptureQueriesContext(connection) as warm:
        assert report(bill).expected == Decimal("1.00")
    assert len(warm.captured_queries) < len(cold.captured_queries)


def test_a_register_correction_makes_them_stale_and_the_report_shows_the_new_figure(
    bill, django_capture_on_commit_callbacks
):
    assert report(bill).expected == Decimal("1374.00")
    with django_capture_on_commit_callbacks(execute=True):
        record_set(
            session=bill.days[4],
            enrolment=bill.enrolments[0],
            by=bill.a.staff,
            code="U",
            reason="war doch nicht da",
        )
    figures = stored(bill)
    assert figures.changed_at > figures.computed_at  # stale
    row = report(bill)
    # 295 billable UE × 4.58; the own contribution is by UE held, which did not change
    assert row.billable_ue == Decimal(295)
    assert row.expected == Decimal("1351.10")
    assert row.expected_contributions == Decimal("687.00")
    assert row.lost_ue == Decimal(5)  # the U day, not billed by the seed rules
    assert (stored(bill).reimbursement, stored(bill).lost_ue) == (Decimal("1351.10"), 5)
    assert report(bill).expected == Decimal("1351.10")


def test_a_learner_leaving_marks_the_figures_of_the_course(
    bill, django_capture_on_commit_callbacks
):
    """Learner 2 has no entries after Friday 16 January: 50 UE billable of 100 held. Recorded as
    having left that day, 50 UE held remain for the own contribution."""
    enrolment = bill.enrolments[2]
    AttendanceRecord.objects.filter(
        enrolment=enrolment, session__date__gt=dt.date(2026, 1, 16)
    ).delete()
    row = report(bill)
    assert row.expected == Decimal("1145.00")  # 250 × 4.58
    assert row.expected_contributions == Decimal("687.00")  # 300 × 2.29
    with django_capture_on_commit_callbacks(execute=True):
        enrolment.ended_on = dt.date(2026, 1, 16)
        enrolment.status = enrolment.Status.WITHDRAWN
        enrolment.withdrawal_reason = enrolment.WithdrawalReason.WORK
        enrolment.save()
    row = report(bill)
    assert row.expected == Decimal("1145.00")
    assert row.expected_contributions == Decimal("572.50")  # 250 × 2.29


def test_a_new_rule_version_makes_them_stale_without_a_mark(bill):
    report(bill)
    ReimbursementRate.objects.create(
        valid_from=dt.date(2026, 1, 19), amount=Decimal("5.00"), source="test"
    )
    # 150 UE at 4.58 (5–16 January) and 150 at 5.00 (19–30 January)
    assert report(bill).expected == Decimal("687.00") + Decimal("750.00")


def test_a_change_during_the_computation_leaves_them_stale(bill, monkeypatch):
    """A mark that arrives while the report computes (the register committed after the report
    read it) is kept: the stored figures are not taken as fresh on the next load."""
    from billing.selectors import revenue

    real = revenue.compute_claims

    def racing(pairs, **kwargs):
        out = real(pairs, **kwargs)
        figures_changed([(bill.course.pk, bill.module.pk)])
        return out

    monkeypatch.setattr(revenue, "compute_claims", racing)
    report(bill)
    figures = stored(bill)
    assert figures.changed_at > figures.computed_at
    monkeypatch.setattr(revenue, "compute_claims", real)
    ModuleFigures.objects.update(reimbursement=Decimal("1.00"))
    assert report(bill).expected == Decimal("1374.00")  # computed again
    assert stored(bill).reimbursement == Decimal("1374.00")


def test_a_running_module_is_computed_again_on_a_later_day(bill, monkeypatch):
    """Up to today: figures stored on 16 January do not stand for 19 January."""
    from billing.selectors import revenue

    monkeypatch.setattr(revenue, "today", lambda: dt.date(2026, 1, 16))
    monkeypatch.setattr("billing.selectors.claims.today", lambda: dt.date(2026, 1, 16))
    assert report(bill).billable_ue == Decimal(150)  # 10 days × 5 UE × 3
    monkeypatch.setattr(revenue, "today", lambda: dt.date(2026, 1, 19))
    monkeypatch.setattr("billing.selectors.claims.today", lambda: dt.date(2026, 1, 19))
    assert report(bill).billable_ue == Decimal(165)  # and 19 January
    assert stored(bill).until == dt.date(2026, 1, 19)


def test_the_daily_job_stores_what_the_next_report_reads(bill):
    from billing.tasks import revenue_figures_daily

    assert revenue_figures_daily.call() >= 1
    figures = stored(bill)
    assert figures.reimbursement == Decimal("1374.00") and figures.lost_ue == 0
    ModuleFigures.objects.update(reimbursement=Decimal("1.00"))
    assert report(bill).expected == Decimal("1.00")  # read, not computed
