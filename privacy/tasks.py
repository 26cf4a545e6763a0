"""Background work of data protection: the daily retention job.

Until the scheduler runs it, call ``manage.py retention_run`` once a day (cron) or enqueue
``retention_daily`` from whatever schedules the other daily tasks.
"""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone


@task()
def retention_daily() -> int:
    """Delete or anonymise what is due today; returns how many rows were touched."""
    from privacy.services.retention import retention_run

    return retention_run(today=timezone.localdate(), dry_run=False).total
