"""Recurring jobs, declared once in code with their schedule, run by one scheduler process.

``core`` knows no app: each app registers its jobs from ``AppConfig.ready()``
(``schedule.register("enrolment.expire_offers", expire_offers, Every(minutes=5))``). The
scheduler (``manage.py run_scheduler``) calls :func:`run_due` every few seconds; it enqueues each
due job's task on the task backend, where the workers run it.

A job runs at most once per period (a five-minute slot, a calendar day): the job's row in
``ScheduledJob`` remembers the period it last ran for, and is read with ``select_for_update``
in the same transaction that enqueues the task. On PostgreSQL a second scheduler therefore waits
for the first and then finds the period done; on SQLite the write lock serialises them the same
way. A scheduler that was down catches up once (one run for the current period, not one per
missed period), and the jobs themselves are idempotent, so a late run does no harm.

A deliberately small scheduler: django-crontask locks through Redis only and keeps no record of
when a job last ran, which the dashboard and ``manage.py scheduled_jobs`` need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class Every:
    """Every so many minutes, in slots counted from the epoch (so restarts keep the rhythm)."""

    minutes: int

    def period(self, now: datetime) -> str:
        return str(int(now.timestamp()) // (self.minutes * 60))

    def __str__(self) -> str:
        return f"every {self.minutes} min"


@dataclass(frozen=True)
class Daily:
    """Once a calendar day (local time), from ``at`` on."""

    at: time

    def period(self, now: datetime) -> str:
        local = timezone.localtime(now)
        day = local.date() if local.time() >= self.at else local.date() - timedelta(days=1)
        return day.isoformat()

    def __str__(self) -> str:
        return f"daily at {self.at:%H:%M}"


Schedule = Every | Daily


@dataclass(frozen=True)
class Job:
    name: str
    task: Any  # a django.tasks Task
    schedule: Schedule


_jobs: dict[str, Job] = {}

#: A job whose last run is older than this is shown as overdue (dashboard, ``scheduled_jobs``).
STALE_AFTER = timedelta(days=1)


def register(name: str, task: Any, schedule: Schedule) -> None:
    """Declare a recurring job (same name replaces)."""
    _jobs[name] = Job(name, task, schedule)


def jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def run_due(now: datetime | None = None) -> list[str]:
    """Enqueue every job whose current period has not run yet; returns their names.

    Idempotent: called twice at the same time (or by two schedulers), a job is enqueued once.
    """
    from core.models import ScheduledJob

    now = now or timezone.now()
    started = []
    for job in jobs():
        period = job.schedule.period(now)
        with transaction.atomic():
            ScheduledJob.objects.get_or_create(name=job.name)
            row = ScheduledJob.objects.select_for_update().get(name=job.name)
            if row.last_period == period:
                continue
            row.last_period = period
            row.last_run_at = now
            row.save(update_fields=["last_period", "last_run_at"])
            job.task.enqueue()
        started.append(job.name)
    return started


def stale_jobs(now: datetime | None = None) -> list[str]:
    """Names of registered jobs that have not run within ``STALE_AFTER`` (or never)."""
    from core.models import ScheduledJob

    now = now or timezone.now()
    last = dict(ScheduledJob.objects.values_list("name", "last_run_at"))
    return [
        job.name
        for job in jobs()
        if last.get(job.name) is None or now - last[job.name] > STALE_AFTER
    ]
