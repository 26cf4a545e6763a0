"""A session QR forwarded by chat: check-ins from a phone that already checked in another
learner, or from outside a location's classroom networks, are flagged; the teacher confirms them
before the day can be signed."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from attendance import services, tokens
from attendance.models import AttendanceRecord, CheckinFlag, Code
from core.errors import DomainError
from tests.attendance.test_checkin import result_code, url_for

pytestmark = pytest.mark.django_db


def record_of(att, learner) -> AttendanceRecord:
    return AttendanceRecord.objects.get(session=att.session, enrolment__learner=learner)


def test_the_first_check_in_gives_the_phone_an_id_and_a_second_learner_on_it_is_flagged(
    att, client
):
    first, second = att.learners[0], att.learners[1]
    client.force_login(first.user)
    assert result_code(client.get(url_for(att.session))) == "checked_in"
    cookie = client.cookies[tokens.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == tokens.DEVICE_MAX_AGE
    request = RequestFactory().get("/")
    request.COOKIES[tokens.DEVICE_COOKIE] = cookie.value
    device, is_new = tokens.device_of(request)
    assert not is_new
    assert record_of(att, first).device == device and record_of(att, first).flag == ""

    client.force_login(second.user)  # same phone, another learner
    assert result_code(client.get(url_for(att.session))) == "checked_in"
    assert record_of(att, second).flag == CheckinFlag.SHARED_DEVICE
    assert record_of(att, first).flag == ""


def test_a_forged_device_cookie_counts_as_a_new_phone(att, client):
    client.cookies[tokens.DEVICE_COOKIE] = "made-up"
    client.force_login(att.learners[0].user)
    client.get(url_for(att.session))
    assert record_of(att, att.learners[0]).device not in ("", "made-up")


def test_a_check_in_from_outside_the_classroom_network_is_flagged(att, client):
    location = att.session.course.location
    location.classroom_networks = ["10.20.0.0/16"]
    location.save()
    client.force_login(att.learners[0].user)
    client.get(url_for(att.session), REMOTE_ADDR="192.0.2.7")
    assert record_of(att, att.learners[0]).flag == CheckinFlag.OUTSIDE_NETWORK
    client.cookies.pop(tokens.DEVICE_COOKIE)
    client.force_login(att.learners[1].user)
    client.get(url_for(att.session), REMOTE_ADDR="10.20.3.4")
    assert record_of(att, att.learners[1]).flag == ""


def test_the_day_is_signed_only_after_the_teacher_confirmed_flagged_check_ins(att, client):
    first, second = att.learners[0], att.learners[1]
    client.force_login(first.user)
    client.get(url_for(att.session))
    client.force_login(second.user)
    client.get(url_for(att.session))
    with pytest.raises(DomainError) as refused:
        services.day_sign(session=att.session, by=att.teacher)
    assert refused.value.code == "unconfirmed_checkins"
    assert str(second) in refused.value.message and str(first) not in refused.value.message
    services.record_set(
        session=att.session,
        enrolment=record_of(att, second).enrolment,
        by=att.teacher,
        code=Code.PRESENT,
    )
    assert record_of(att, second).flag == ""
    services.day_sign(session=att.session, by=att.teacher)


def test_the_register_and_the_sign_summary_show_the_flag(att, client):
    client.force_login(att.learners[0].user)
    client.get(url_for(att.session))
    client.force_login(att.learners[1].user)
    client.get(url_for(att.session))
    client.force_login(att.teacher)
    html = client.get(f"/attendance/sessions/{att.session.pk}/").content.decode()
    assert 'data-flag="shared_device"' in html
