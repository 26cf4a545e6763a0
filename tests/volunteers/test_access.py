"""Outsiders get 404 on volunteer records: another provider's staff, another volunteer, a
learner, a teacher, a Jobcenter caseworker. Anonymous people are sent to log in."""

import datetime as dt

import pytest
from django.urls import reverse

from volunteers import services
from volunteers.models import ShiftAssignment

from .helpers import today

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(vw):
    """A tandem with consent, a shift taken, hours, a proof: everything a volunteer has."""
    tandem = services.tandem_propose(
        volunteer=vw.volunteer, learner=vw.learner, contact_channel="office", by=vw.a.staff
    )
    services.tandem_consent_give(tandem=tandem, method="in_person", by=vw.a.staff)
    services.tandem_meeting_log(tandem=tandem, day=today(), minutes=60, by=vw.volunteer.user)
    assignment = services.shift_claim(shift=vw.shift, volunteer=vw.volunteer, by=vw.volunteer.user)
    services.hours_decide(entries=vw.volunteer.hours.all(), approve=True, by=vw.a.staff)
    proof = services.proof_issue(volunteer=vw.volunteer, year=today().year, by=vw.a.staff)
    checkin = tandem.checkins.create(asked_on=today())
    return {"tandem": tandem, "assignment": assignment, "proof": proof, "checkin": checkin}


def staff_urls(vw, r):
    v, t = vw.volunteer.pk, r["tandem"].pk
    return [
        reverse("volunteers-staff-volunteer", args=[v]),
        reverse("volunteers-staff-matches", args=[v]),
        reverse("volunteers-staff-tandem", args=[t]),
        reverse("volunteers-staff-activity", args=[vw.activity.pk]),
        reverse("volunteers-staff-date", args=[vw.shift.session_id]),
        reverse("volunteers-staff-proof-pdf", args=[r["proof"].pk]),
        f"/api/v1/volunteers/{v}/suggestions/",
    ]


def staff_posts(vw, r):
    v, t, a = vw.volunteer.pk, r["tandem"].pk, r["assignment"].pk
    return [
        (reverse("volunteers-staff-volunteer-action", args=[v, "end"]), {}),
        (reverse("volunteers-staff-volunteer-action", args=[v, "pay"]), {"amount": "1"}),
        (reverse("volunteers-staff-volunteer-action", args=[v, "conduct"]), {}),
        (reverse("volunteers-staff-tandem-action", args=[t, "withdraw"]), {}),
        (
            reverse("volunteers-staff-date-action", args=[vw.shift.session_id, "cancel"]),
            {"reason": "x"},
        ),
        (reverse("volunteers-staff-assignment-action", args=[a, "release"]), {}),
    ]


def volunteer_urls(vw, r):
    v = vw.volunteer.pk
    return [
        reverse("volunteers-tandem", args=[r["tandem"].pk]),
        reverse("volunteers-profile", args=[v]),
        reverse("volunteers-record", args=[v, today().year]),
        reverse("volunteers-proof-pdf", args=[r["proof"].pk]),
    ]


def volunteer_posts(vw, r):
    return [
        (reverse("volunteers-shift-release", args=[r["assignment"].pk]), {}),
        (reverse("volunteers-checkin-answer", args=[r["checkin"].pk]), {"answer": "ending"}),
        (reverse("volunteers-proof-issue", args=[vw.volunteer.pk, today().year]), {}),
    ]


def test_the_provider_staff_and_the_volunteer_get_in(vw, records, client):
    client.force_login(vw.a.staff)
    for url in staff_urls(vw, records):
        assert client.get(url).status_code == 200, url
    client.force_login(vw.volunteer.user)
    for url in volunteer_urls(vw, records):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "who", ["other_staff", "teacher", "caseworker", "volunteer", "other_volunteer", "learner"]
)
def test_outsiders_get_404_on_staff_pages(vw, records, client, who):
    users = {
        "other_staff": vw.b.staff,
        "teacher": vw.a.teacher,
        "caseworker": vw.world.caseworker,
        "volunteer": vw.volunteer.user,
        "other_volunteer": vw.other.user,
        "learner": vw.learner.user,
    }
    client.force_login(users[who])
    for url in staff_urls(vw, records):
        assert client.get(url).status_code == 404, url
    for url, data in staff_posts(vw, records):
        assert client.post(url, data).status_code == 404, url
    lists = (
        "/volunteers/",
        "/volunteers/people/",
        "/volunteers/hours/",
        "/volunteers/activities/",
        "/volunteers/reports/",
        "/volunteers/reports/hours.csv",
        "/api/v1/volunteers/",
    )
    for url in lists:
        if who == "other_staff":  # their own provider's lists, without provider a's rows
            r = client.get(url)
            assert r.status_code == 200, url
            assert vw.volunteer.user.last_name not in r.content.decode(), url
        else:
            assert client.get(url).status_code == 404, url
    assert ShiftAssignment.objects.get(pk=records["assignment"].pk).status == "claimed"


@pytest.mark.parametrize(
    "who", ["other_volunteer", "b_volunteer", "learner", "staff", "other_staff"]
)
def test_outsiders_get_404_on_a_volunteers_own_records(vw, records, client, who):
    users = {
        "other_volunteer": vw.other.user,
        "b_volunteer": vw.b_volunteer.user,
        "learner": vw.learner.user,
        "staff": vw.a.staff,
        "other_staff": vw.b.staff,
    }
    client.force_login(users[who])
    for url in volunteer_urls(vw, records):
        assert client.get(url).status_code == 404, url
    for url, data in volunteer_posts(vw, records):
        assert client.post(url, data).status_code == 404, url
    records["checkin"].refresh_from_db()
    assert records["checkin"].answer == ""


def test_a_volunteer_cannot_claim_another_providers_shift(vw, client):
    client.force_login(vw.b_volunteer.user)
    r = client.post(reverse("volunteers-shift-claim", args=[vw.shift.pk]))
    assert r.status_code == 404


def test_the_learners_buddy_page_is_their_own(vw, records, client, world):
    from tests.factories import LearnerFactory, UserFactory

    stranger = LearnerFactory(provider=world.a.provider, user=UserFactory())
    client.force_login(stranger.user)
    r = client.post(reverse("volunteers-buddy-action", args=[records["tandem"].pk, "withdraw"]))
    assert r.status_code == 404
    client.force_login(vw.volunteer.user)  # a volunteer without a learner record
    assert client.get(reverse("volunteers-buddy")).status_code == 404


def test_anonymous_is_sent_to_login(vw, records, client):
    for url in [
        *staff_urls(vw, records)[:-1],
        *volunteer_urls(vw, records),
        reverse("volunteers-home"),
    ]:
        r = client.get(url)
        assert r.status_code == 302 and "/login/" in r.url, url
    assert client.get("/api/v1/volunteers/").status_code == 403


def test_people_without_a_profile_get_404_on_volunteer_pages(vw, client):
    client.force_login(vw.a.teacher)
    assert client.get(reverse("volunteers-home")).status_code == 404
    assert client.get(reverse("volunteers-shifts")).status_code == 404


def test_an_ended_volunteer_loses_the_role_and_the_shifts(vw, records, client):
    services.volunteer_end(volunteer=vw.volunteer, by=vw.a.staff)
    user = vw.volunteer.user
    user.__dict__.pop("_role_memberships", None)
    assert "volunteer" not in user.roles()
    future = records["assignment"].shift.session.date > today() - dt.timedelta(days=0)
    assert future
    assert ShiftAssignment.objects.get(pk=records["assignment"].pk).status == "cancelled"
    records["tandem"].refresh_from_db()
    assert records["tandem"].status == "ended"
    client.force_login(user)
    assert client.get(reverse("volunteers-tandem", args=[records["tandem"].pk])).status_code == 404
