"""Background work of billing (Django tasks; the immediate backend runs them in tests).

``contributions_daily`` reminds learners of overdue own contributions once a day (registered in
``billing.apps``)."""

from __future__ import annotations

from django.tasks import task


@task
def contributions_daily() -> int:
    from billing.services import reminders_send

    return len(reminders_send())
