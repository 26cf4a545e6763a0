"""Sessions by role: staff sessions end after hours of inactivity, a learner's phone stays in."""

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone

from people.models import Role
from tests.factories import UserFactory, member

HOURS_4 = 4 * 60 * 60
DAYS_180 = 180 * 24 * 60 * 60


def login_and_visit(client, user):
    client.force_login(user)
    client.get("/")
    return Session.objects.get(session_key=client.session.session_key)


def seconds_left(session) -> float:
    return (session.expire_date - timezone.now()).total_seconds()


def test_a_staff_session_expires_after_hours_of_inactivity(world, client, settings):
    settings.WORK_SESSION_IDLE_SECONDS = HOURS_4
    session = login_and_visit(client, world.a.staff)
    assert HOURS_4 - 60 < seconds_left(session) <= HOURS_4
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    r = client.get("/")
    assert r.wsgi_request.user.is_authenticated is False


def test_teachers_and_caseworkers_get_the_short_session_too(world, client, settings):
    settings.WORK_SESSION_IDLE_SECONDS = HOURS_4
    for user in (world.a.teacher, world.caseworker):
        assert HOURS_4 - 60 < seconds_left(login_and_visit(client, user)) <= HOURS_4


def test_a_learner_stays_signed_in_on_their_phone(world, client, settings):
    learner = world.a.learners[0]
    learner.user = UserFactory()
    learner.save()
    volunteer = member(world.a.provider, Role.VOLUNTEER)  # a volunteer's phone is personal too
    for account in (learner.user, volunteer):
        assert seconds_left(login_and_visit(client, account)) > DAYS_180 - 60
