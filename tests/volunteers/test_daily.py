"""The daily round: requirement reminders to the volunteer and the coordinators (once per record,
a newer record replaces an old one), and the management command."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from volunteers import services
from volunteers.models import ConductCheck, RequirementRecord, VolunteerPolicy

from .helpers import today, volunteer

pytestmark = pytest.mark.django_db


def expiring(world, *, in_days: int):
    a = world.a
    v = volunteer(a.provider, a.staff, requirements=False)
    v.user.email = "vera@example.org"
    v.user.preferred_language = "ar"
    v.user.save()
    a.staff.email = "buero@example.org"
    a.staff.save()
    services.conduct_check_record(
        volunteer=v,
        inspected_on=today() - dt.timedelta(days=5 * 365) + dt.timedelta(days=in_days),
        result=ConductCheck.Result.CLEAR,
        by=a.staff,
    )
    return v


def test_reminders_go_once_to_the_volunteer_and_the_coordinators(
    world, django_capture_on_commit_callbacks
):
    v = expiring(world, in_days=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requirement_reminders_send() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["buero@example.org", "vera@example.org"]
    to_volunteer = next(m for m in mail.outbox if m.to == ["vera@example.org"])
    assert "volunteering/" in to_volunteer.body
    assert RequirementRecord.objects.get(volunteer=v, code="conduct_certificate").reminded_at
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requirement_reminders_send() == 0
    assert len(mail.outbox) == 2


def test_nothing_is_reminded_outside_the_providers_window(world):
    expiring(world, in_days=40)
    assert services.requirement_reminders_send() == 0
    VolunteerPolicy.objects.create(provider=world.a.provider, remind_days_before=60)
    assert services.requirement_reminders_send() == 1


def test_a_renewed_requirement_is_not_reminded(world):
    v = expiring(world, in_days=10)
    services.conduct_check_record(
        volunteer=v, inspected_on=today(), result=ConductCheck.Result.CLEAR, by=world.a.staff
    )
    assert services.requirement_reminders_send() == 0


def test_coordinators_named_in_the_policy_get_the_staff_mails(
    world, django_capture_on_commit_callbacks
):
    from people.models import Role
    from tests.factories import member

    coordinator = member(world.a.provider, Role.STAFF, email="ehrenamt@example.org")
    policy = VolunteerPolicy.objects.create(provider=world.a.provider)
    policy.coordinators.add(coordinator)
    expiring(world, in_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.requirement_reminders_send()
    assert sorted(m.to[0] for m in mail.outbox) == ["ehrenamt@example.org", "vera@example.org"]


def test_the_command_runs_the_daily_round(world):
    expiring(world, in_days=5)
    out = StringIO()
    call_command("volunteers_daily", stdout=out)
    assert out.getvalue().strip() == "reminders: 1; check-ins asked: 0; tandems flagged: 0"
    out = StringIO()
    call_command("volunteers_daily", "--date", today().isoformat(), stdout=out)
    assert out.getvalue().startswith("reminders: 0;")


def test_the_task_runs_the_daily_round(world):
    from volunteers.tasks import volunteers_daily

    expiring(world, in_days=5)
    result = volunteers_daily.enqueue()
    assert result.return_value == {"reminders": 1, "checkins_asked": 0, "tandems_flagged": 0}
