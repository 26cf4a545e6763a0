"""Shifts: claiming (the last place goes once), giving back, learners' sign-up, and the volunteer's
check-in with the same session QR as learners."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from attendance import tokens
from attendance.models import AttendanceRecord
from core.errors import DomainError
from courses.models import Session
from courses.services import is_public_holiday
from volunteers import services
from volunteers.models import ActivitySignup, HoursEntry, ShiftAssignment

from .helpers import volunteer

pytestmark = pytest.mark.django_db


def qr_url(session):
    return (
        reverse("attendance-checkin", args=[session.pk]) + "?t=" + tokens.session_token(session.pk)
    )


def result_code(response):
    html = response.content.decode()
    return html.split('id="checkin-result" data-code="', 1)[1].split('"', 1)[0]


def test_activity_dates_are_course_sessions_with_a_shift_each(vw):
    course = vw.activity.course
    first = course.start_date
    weekly = [first + dt.timedelta(weeks=n) for n in range(4)]  # the first date, three more
    expected = [d for d in weekly if not is_public_holiday(d, "SH")]
    assert [s.date for s in course.sessions.order_by("date")] == expected
    assert not course.is_published and course.course_type.programme.code == "volunteering"
    assert [s.places for s in vw.activity.shifts.order_by("session__date")] == [2] * len(expected)


def test_the_last_place_goes_to_one_volunteer_only(vw, world):
    a = world.a
    third = volunteer(a.provider, a.staff, username="theo")
    services.shift_claim(shift=vw.shift, volunteer=vw.volunteer, by=vw.volunteer.user)
    services.shift_claim(shift=vw.shift, volunteer=vw.other, by=vw.other.user)
    with pytest.raises(DomainError) as exc:
        services.shift_claim(shift=vw.shift, volunteer=third, by=third.user)
    assert (exc.value.code, exc.value.status_code) == ("shift_full", 409)
    again = services.shift_claim(shift=vw.shift, volunteer=vw.volunteer, by=vw.volunteer.user)
    assert ShiftAssignment.objects.filter(shift=vw.shift, status="claimed").count() == 2
    assert again.volunteer == vw.volunteer


def test_a_given_back_place_is_free_again(vw, world):
    third = volunteer(world.a.provider, world.a.staff, username="theo")
    first = services.shift_claim(shift=vw.shift, volunteer=vw.volunteer, by=vw.volunteer.user)
    services.shift_claim(shift=vw.shift, volunteer=vw.other, by=vw.other.user)
    services.shift_release(assignment=first, by=vw.volunteer.user)
    assert services.shift_claim(shift=vw.shift, volunteer=third, by=third.user).pk


def test_a_volunteer_of_another_provider_cannot_take_the_shift(vw):
    with pytest.raises(DomainError) as exc:
        services.shift_claim(shift=vw.shift, volunteer=vw.b_volunteer, by=vw.b_volunteer.user)
    assert exc.value.code == "foreign_shift"


def test_claim_through_the_page_and_the_api(vw, client, api_client):
    client.force_login(vw.volunteer.user)
    r = client.post(reverse("volunteers-shift-claim", args=[vw.shift.pk]))
    assert r.status_code == 302 and r.url == reverse("volunteers-home")
    api_client.force_authenticate(vw.other.user)
    r = api_client.post(f"/api/v1/volunteers/shifts/{vw.shift.pk}/claim/")
    assert r.status_code == 201
    third = volunteer(vw.a.provider, vw.a.staff, username="theo")
    api_client.force_authenticate(third.user)
    r = api_client.post(f"/api/v1/volunteers/shifts/{vw.shift.pk}/claim/")
    assert r.status_code == 409 and r.json()["code"] == "shift_full"
    ids = [s["id"] for s in api_client.get("/api/v1/volunteers/shifts/").json()["results"]]
    assert vw.shift.pk not in ids
    assert len(ids) == vw.activity.shifts.count() - 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_claims_for_the_last_place(on_postgres, vw, world):
    others = [volunteer(world.a.provider, world.a.staff, username=f"v{n}") for n in range(5)]
    services.shift_claim(shift=vw.shift, volunteer=vw.volunteer, by=vw.volunteer.user)
    barrier = threading.Barrier(len(others))
    outcomes = []

    def worker(v):
        try:
            barrier.wait(timeout=10)
            services.shift_claim(shift=vw.shift, volunteer=v, by=v.user)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(v,)) for v in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["ok"] + ["shift_full"] * 4
    assert ShiftAssignment.objects.filter(shift=vw.shift, status="claimed").count() == 2


def test_volunteer_checks_in_by_the_session_qr(vw, cafe_today, client):
    client.force_login(vw.volunteer.user)
    r = client.get(qr_url(cafe_today.session))
    assert r.status_code == 200 and result_code(r) == "checked_in"
    assignment = ShiftAssignment.objects.get(shift=cafe_today.shift, volunteer=vw.volunteer)
    assert assignment.checked_in_at is not None
    hours = HoursEntry.objects.get(shift_assignment=assignment)
    assert (hours.minutes, hours.status, hours.source) == (120, "pending", "shift")
    r = client.get(qr_url(cafe_today.session))
    assert result_code(r) == "already_checked_in"
    assert HoursEntry.objects.filter(volunteer=vw.volunteer).count() == 1
    assert not AttendanceRecord.objects.exists()  # the register of learners is untouched


def test_volunteer_without_a_shift_is_told_to_take_one(vw, cafe_today, client):
    client.force_login(vw.other.user)
    r = client.get(qr_url(cafe_today.session))
    assert r.status_code == 403 and result_code(r) == "no_shift"


def test_outside_the_window_the_volunteer_is_refused(vw, cafe_today, client, clock):
    clock.at(15, 20)
    client.force_login(vw.volunteer.user)
    r = client.get(qr_url(cafe_today.session))
    assert result_code(r) == "outside_window"
    assert not HoursEntry.objects.exists()


def test_api_checkin_answers_with_the_assignment(vw, cafe_today, api_client):
    api_client.force_authenticate(vw.volunteer.user)
    r = api_client.post(
        f"/api/v1/attendance/sessions/{cafe_today.session.pk}/checkin/",
        {"token": tokens.session_token(cafe_today.session.pk)},
    )
    assert r.status_code == 201
    assignment = ShiftAssignment.objects.get(shift=cafe_today.shift, volunteer=vw.volunteer)
    assert r.json() == {"code": "checked_in", "record": assignment.pk}


def test_a_stranger_scanning_the_cafe_qr_is_not_on_the_list(vw, cafe_today, client):
    client.force_login(vw.world.a.learners[0].user or vw.learner.user)
    r = client.get(qr_url(cafe_today.session))
    assert r.status_code == 403 and result_code(r) == "not_enrolled"


def test_staff_confirm_presence_by_hand(vw, cafe_today, client):
    assignment = ShiftAssignment.objects.get(shift=cafe_today.shift)
    client.force_login(vw.a.staff)
    r = client.post(reverse("volunteers-staff-assignment-action", args=[assignment.pk, "checkin"]))
    assert r.status_code == 302
    assert HoursEntry.objects.get(shift_assignment=assignment).minutes == 120


def test_cancelling_a_date_gives_shifts_back_and_tells_the_volunteers(
    vw, client, django_capture_on_commit_callbacks
):
    services.shift_claim(shift=vw.shift, volunteer=vw.volunteer, by=vw.volunteer.user)
    vw.volunteer.user.email = "vera@example.org"
    vw.volunteer.user.save()
    client.force_login(vw.a.staff)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("volunteers-staff-date-action", args=[vw.shift.session_id, "cancel"]),
            {"reason": "Raum belegt"},
        )
    assert r.status_code == 302
    assert Session.objects.get(pk=vw.shift.session_id).status == "cancelled"
    assert not ShiftAssignment.objects.filter(status="claimed").exists()
    assert [m.to for m in mail.outbox] == [["vera@example.org"]]


def test_learners_sign_up_up_to_the_places(vw, world):
    a = world.a
    from .helpers import cafe

    activity = cafe(a.provider, a.location, a.staff, learner_signup=True, learner_places=1)
    session = activity.course.sessions.order_by("date").first()
    first = services.activity_signup(session=session, learner=a.learners[0])
    assert services.activity_signup(session=session, learner=a.learners[0]) == first
    with pytest.raises(DomainError) as exc:
        services.activity_signup(session=session, learner=a.learners[1])
    assert exc.value.code == "signup_full"
    services.activity_signup_cancel(signup=first)
    assert services.activity_signup(session=session, learner=a.learners[1]).pk
    assert ActivitySignup.objects.filter(cancelled_at__isnull=True).count() == 1
