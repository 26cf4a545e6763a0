"""Recurring jobs: each runs once per period, a second scheduler pass changes nothing, the
registry holds the apps' jobs, and the dashboard warns about a job that has not run for a day."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.tasks import task

from core import schedule
from core.models import ScheduledJob

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
RUNS: list[str] = []


@task
def _count_run() -> int:
    RUNS.append("run")
    return len(RUNS)


@pytest.fixture
def only(monkeypatch):
    """Replace the registry by the given jobs for one test."""

    def install(*jobs):
        monkeypatch.setattr(schedule, "_jobs", {})
        for name, sched in jobs:
            schedule.register(name, _count_run, sched)
        RUNS.clear()

    return install


def at(hour, minute=0, day=5):
    return datetime(2026, 12, day, hour, minute, tzinfo=BERLIN)


def test_daily_job_runs_once_a_day_from_its_time(only):
    only(("t.daily", schedule.Daily(time(3, 0))))
    # 02:59 belongs to yesterday's period: the first pass catches up once
    assert schedule.run_due(at(2, 59)) == ["t.daily"]
    assert (
        schedule.run_due(
            at(
                2,
                59,
            )
        )
        == []
    )
    assert schedule.run_due(at(3, 0)) == ["t.daily"]  # today's period begins
    for hour in (4, 12, 23):
        assert schedule.run_due(at(hour)) == []
    assert schedule.run_due(at(3, 0, day=6)) == ["t.daily"]
    assert len(RUNS) == 3


def test_interval_job_runs_once_per_slot(only):
    only(("t.every", schedule.Every(minutes=5)))
    start = at(10, 0)
    ran = [bool(schedule.run_due(start + timedelta(minutes=m))) for m in range(0, 20)]
    # one run per five-minute slot: minutes 0, 5, 10, 15
    assert ran.count(True) == 4
    assert [m for m, r in enumerate(ran) if r] == [0, 5, 10, 15]
    assert len(RUNS) == 4


def test_a_second_pass_changes_nothing(only):
    only(("t.daily", schedule.Daily(time(3, 0))), ("t.every", schedule.Every(minutes=5)))
    now = at(9)
    assert schedule.run_due(now) == ["t.daily", "t.every"]
    before = list(ScheduledJob.objects.values_list("name", "last_period", "last_run_at"))
    assert schedule.run_due(now) == []
    assert schedule.run_due(now + timedelta(minutes=1)) == []
    assert list(ScheduledJob.objects.values_list("name", "last_period", "last_run_at")) == before
    assert len(RUNS) == 2


def test_the_apps_register_their_jobs():
    names = {job.name for job in schedule.jobs()}
    assert names >= {
        "enrolment.expire_offers",
        "enrolment.record_course_starts",
        "attendance.evaluate_alerts",
        "internships.placements_advance",
        "jobcenter.webhooks_retry",
        "privacy.retention",
        "referrals.stalled",
        "volunteers.daily",
    }


def test_the_real_jobs_run_twice_without_harm():
    """Every registered job is enqueued (immediate backend in tests) and runs; a second pass at
    the same moment enqueues nothing."""
    now = at(9)
    assert len(schedule.run_due(now)) == len(schedule.jobs())
    assert schedule.run_due(now) == []
    # and running the tasks themselves again changes nothing on an unchanged database
    for job in schedule.jobs():
        assert job.task.enqueue().status == "SUCCESSFUL"


def test_stale_jobs_and_listing(only, capsys):
    only(("t.daily", schedule.Daily(time(3, 0))), ("t.every", schedule.Every(minutes=5)))
    assert schedule.stale_jobs(at(9)) == ["t.daily", "t.every"]  # never ran
    schedule.run_due(at(9))
    assert schedule.stale_jobs(at(9, day=6)) == []
    ScheduledJob.objects.filter(name="t.daily").update(last_run_at=at(8, day=4))
    assert schedule.stale_jobs(at(9, day=5)) == ["t.daily"]
    call_command("scheduled_jobs")
    out = capsys.readouterr().out
    assert "t.daily" in out and "daily at 03:00" in out and "every 5 min" in out


def test_dashboard_warns_administrators_of_a_stale_job(only, client, django_user_model):
    from django.urls import reverse

    from core.dashboard import tiles

    only(("t.daily", schedule.Daily(time(3, 0))))
    admin = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    plain = django_user_model.objects.create_user("plain", "plain@example.org", "pw")
    url = reverse("admin:core_scheduledjob_changelist")
    found = [t for t in tiles(user=admin, provider_ids=[], today=at(9).date()) if t.url == url]
    assert len(found) == 1 and found[0].count == 1 and found[0].warn
    assert not [t for t in tiles(user=plain, provider_ids=[], today=at(9).date()) if t.url == url]
    schedule.run_due()
    assert not [t for t in tiles(user=admin, provider_ids=[], today=at(9).date()) if t.url == url]
