"""Check-in by session QR: the learner's URL, logged in or out, and every refusal."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from attendance import tokens
from attendance.models import AttendanceRecord, Method
from tests.factories import PASSWORD

from .conftest import DAY


def url_for(session, token=None):
    token = token or tokens.session_token(session.pk)
    return reverse("attendance-checkin", args=[session.pk]) + "?t=" + token


def result_code(response):
    html = response.content.decode()
    marker = 'id="checkin-result" data-code="'
    return html.split(marker, 1)[1].split('"', 1)[0]


def test_learner_checks_in_once_and_a_second_scan_changes_nothing(att, client):
    client.force_login(att.learners[0].user)
    r = client.get(url_for(att.session))
    assert r.status_code == 200
    assert result_code(r) == "checked_in"
    record = AttendanceRecord.objects.get()
    assert (record.code, record.method, record.enrolment) == (
        "X",
        Method.SESSION_QR,
        att.enrolments[0],
    )
    assert record.arrived_at is None  # 08:35 is within 15 minutes of 08:30
    recorded_at = record.recorded_at
    r = client.get(url_for(att.session))  # replay of the same token, and a fresh one
    assert result_code(r) == "already_checked_in"
    r = client.get(url_for(att.session, tokens.session_token(att.session.pk)))
    assert result_code(r) == "already_checked_in"
    assert AttendanceRecord.objects.count() == 1
    assert AttendanceRecord.objects.get().recorded_at == recorded_at


def test_late_arrival_is_recorded_with_kommt_time_and_fewer_ue(att, client, clock):
    clock.at(9, 10)
    client.force_login(att.learners[0].user)
    assert result_code(client.get(url_for(att.session))) == "checked_in"
    record = AttendanceRecord.objects.get()
    assert record.arrived_at == dt.time(9, 10)
    assert 0 < record.ue_attended < att.session.ue


@pytest.mark.parametrize(
    ("hh", "mm", "ok"),
    [(7, 59, False), (8, 0, True), (12, 45, True), (12, 46, False)],
)
def test_checkin_window_is_30_minutes_before_start_to_end(att, client, clock, hh, mm, ok):
    clock.at(hh, mm)
    client.force_login(att.learners[0].user)
    r = client.get(url_for(att.session))
    assert (result_code(r) == "checked_in") is ok
    if not ok:
        assert result_code(r) == "outside_window"
        assert not AttendanceRecord.objects.exists()


def test_expired_token_is_refused(att, client, clock):
    url = url_for(att.session)
    clock.advance(tokens.ROTATE_SECONDS * (2 + tokens.GRACE_SLOTS))
    client.force_login(att.learners[0].user)
    r = client.get(url)
    assert r.status_code == 400
    assert result_code(r) == "expired"
    assert not AttendanceRecord.objects.exists()


def test_token_of_another_session_is_refused(att, client):
    client.force_login(att.learners[0].user)
    other = tokens.session_token(att.next_session.pk)
    r = client.get(reverse("attendance-checkin", args=[att.session.pk]) + "?t=" + other)
    assert result_code(r) == "other_session"
    assert not AttendanceRecord.objects.exists()


def test_forged_token_is_refused(att, client):
    client.force_login(att.learners[0].user)
    token = tokens.session_token(att.session.pk)
    forged = token[:-3] + ("aaa" if token[-3:] != "aaa" else "bbb")
    r = client.get(url_for(att.session, forged))
    assert result_code(r) == "forged"
    r = client.get(reverse("attendance-checkin", args=[att.session.pk]))
    assert result_code(r) == "forged"
    assert not AttendanceRecord.objects.exists()


def test_learner_not_enrolled_is_refused(att, client):
    client.force_login(att.outsider_learner.user)
    r = client.get(url_for(att.session))
    assert r.status_code == 403
    assert result_code(r) == "not_enrolled"
    assert not AttendanceRecord.objects.exists()


def test_learner_entering_later_is_not_enrolled_on_earlier_days(att, client):
    enrolment = att.enrolments[0]
    enrolment.start_date = DAY + dt.timedelta(days=1)
    enrolment.save()
    client.force_login(att.learners[0].user)
    assert result_code(client.get(url_for(att.session))) == "not_enrolled"


def test_refusal_is_in_the_learners_language_arabic_rtl(att, client):
    user = att.outsider_learner.user
    user.preferred_language = "ar"
    user.save()
    client.force_login(user)
    r = client.get(url_for(att.session))
    html = r.content.decode()
    assert 'dir="rtl"' in html
    assert 'lang="ar"' in html
    assert "You are not enrolled" not in html
    assert "لست في قائمة هذه الدورة" in html  # what happened and what to do, in Arabic


def test_refusal_follows_a_chosen_language_over_the_profile(att, client, settings):
    client.force_login(att.outsider_learner.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.get(url_for(att.session))
    assert "You are not on the list for this course." in r.content.decode()


def test_logged_out_scan_survives_login_and_then_checks_in(att, client, clock):
    r = client.get(url_for(att.session))
    assert r.status_code == 302
    login = urlparse(r["Location"])
    assert login.path == reverse("login")
    next_url = parse_qs(login.query)["next"][0]
    assert "p=" in next_url
    assert not AttendanceRecord.objects.exists()
    clock.advance(120)  # typing the password takes longer than a QR lives
    r = client.post(
        reverse("login"),
        {"username": att.learners[1].user.username, "password": PASSWORD, "next": next_url},
    )
    assert r.status_code == 302 and r["Location"] == next_url
    r = client.get(next_url)
    assert result_code(r) == "checked_in"
    record = AttendanceRecord.objects.get()
    assert record.enrolment == att.enrolments[1]
    assert record.checked_in_at.timestamp() == pytest.approx(clock.value - 120, abs=1)


def test_forwarded_pending_link_does_not_work_in_another_browser(att, client, clock):
    from django.test import Client

    r = client.get(url_for(att.session))
    next_url = parse_qs(urlparse(r["Location"]).query)["next"][0]
    other = Client()
    other.force_login(att.learners[2].user)
    assert result_code(other.get(next_url)) == "forged"
    assert not AttendanceRecord.objects.exists()


def test_logged_out_scan_of_expired_token_is_refused_before_login(att, client, clock):
    url = url_for(att.session)
    clock.advance(10 * tokens.ROTATE_SECONDS)
    r = client.get(url)
    assert r.status_code == 400
    assert result_code(r) == "expired"


def test_checkin_to_a_signed_day_is_refused(att, client):
    from attendance.services import day_sign

    day_sign(session=att.session, by=att.teacher)
    client.force_login(att.learners[0].user)
    r = client.get(url_for(att.session))
    # the teacher's sign-off recorded U for everyone; a late scan cannot undo a locked day, and
    # the page says the day is signed (not "already checked in"); issue 14
    assert result_code(r) == "day_locked"
    assert AttendanceRecord.objects.get(enrolment=att.enrolments[0]).code == "U"


def test_checkin_costs_a_constant_small_number_of_queries(att, client, django_assert_num_queries):
    client.force_login(att.learners[0].user)
    client.get(url_for(att.session))  # warm
    client.force_login(att.learners[1].user)
    client.cookies.pop(tokens.DEVICE_COOKIE)  # another phone: no shared-phone check
    # auth session + user, course day (with what the page shows), enrolment joined with the
    # day's record, overlapping check-ins of the learner that day (issue 14), insert = 6 queries,
    # plus the savepoint and its release around the insert; the page itself queries nothing
    with django_assert_num_queries(8):
        r = client.get(url_for(att.session))
    assert result_code(r) == "checked_in"
    with django_assert_num_queries(4):  # reads only: no transaction at all
        r = client.get(url_for(att.session))
    assert result_code(r) == "already_checked_in"


def test_api_checkin_for_learner_clients(att, api_client):
    api_client.force_authenticate(att.learners[0].user)
    url = reverse("api:attendance-checkin", args=[att.session.pk])
    r = api_client.post(url, {"token": tokens.session_token(att.session.pk)}, format="json")
    assert r.status_code == 201 and r.json()["code"] == "checked_in"
    r = api_client.post(url, {"token": tokens.session_token(att.session.pk)}, format="json")
    assert r.status_code == 200 and r.json()["code"] == "already_checked_in"
    r = api_client.post(url, {"token": "nope"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "forged"
    api_client.force_authenticate(att.outsider_learner.user)
    r = api_client.post(url, {"token": tokens.session_token(att.session.pk)}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "not_enrolled"
