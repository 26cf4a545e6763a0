"""Background work of billing (Django tasks; the immediate backend runs them in tests).

``contributions_daily`` reminds learners of overdue own contributions once a day;
``revenue_figures_daily`` computes, before the office opens, the stored module figures of the
revenue report that went stale (a running module's figures run to today, so they age daily; and
every module after a new rule version) — the day's first load of the report reads them instead
of computing (both registered in ``billing.apps``)."""

from __future__ import annotations

from django.tasks import task


@task
def contributions_daily() -> int:
    from billing.services import reminders_send

    return len(reminders_send())


@task
def revenue_figures_daily() -> int:
    from billing.selectors.revenue import refresh_stored_figures

    return refresh_stored_figures()
