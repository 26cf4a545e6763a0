"""Alert rules (raised once per incident, dates listed, authority notice for obliged learners)
and internship days entered as P."""

import datetime as dt

import pytest
from django.urls import reverse

from attendance.models import Alert, AlertRule, AttendanceRecord
from attendance.selectors import open_alerts
from attendance.services import day_sign, evaluate_alerts, record_set, register_internship_days
from people.models import LearnerEvent
from tests.factories import ObligationFactory

from .conftest import DAY


@pytest.fixture(autouse=True)
def two_weeks_later(clock):
    clock.at(18, 0, DAY + dt.timedelta(days=28))


def sessions(att, n):
    return list(att.course.sessions.order_by("date", "start_time")[:n])


def consecutive_rule(att, days=3):
    return AlertRule.objects.create(
        provider=att.course.provider,
        name="3 Tage unentschuldigt",
        kind=AlertRule.Kind.CONSECUTIVE_UNEXCUSED,
        consecutive_days=days,
    )


def test_consecutive_unexcused_days_raise_one_alert_with_dates_and_notify_authority(att):
    rule = consecutive_rule(att)
    learner = att.learners[0]
    ObligationFactory(
        learner=learner,
        jobcenter=att.world.jobcenter,
        issued_on=DAY - dt.timedelta(days=30),
        expires_on=DAY + dt.timedelta(days=300),
    )
    days = sessions(att, 5)
    for s in days:
        record_set(session=s, enrolment=att.enrolments[1], by=att.teacher, code="X")
        record_set(session=s, enrolment=att.enrolments[2], by=att.teacher, code="X")
        day_sign(session=s, by=att.teacher)  # learner 0 has no entry: recorded U
    alerts = list(Alert.objects.filter(rule=rule))
    assert len(alerts) == 1  # one incident, although days 4 and 5 extended it
    alert = alerts[0]
    assert alert.enrolment == att.enrolments[0]
    assert alert.dates == [s.date.isoformat() for s in days]
    assert alert.notified_authority
    events = LearnerEvent.objects.filter(learner=learner, type="not_participating_properly")
    assert events.count() == 1
    data = events.get().data
    assert data["dates"][:3] == [s.date.isoformat() for s in days[:3]]
    assert data["jobcenter_ids"] == [att.world.jobcenter.pk]
    # evaluating again raises nothing new
    assert evaluate_alerts(course=att.course, on=days[-1].date) == []
    assert list(open_alerts(provider_ids=[att.course.provider_id])) == [alert]
    assert not open_alerts(provider_ids=[att.world.b.provider.pk]).exists()


def test_learner_without_obligation_gets_an_alert_but_no_authority_notice(att):
    consecutive_rule(att, days=2)
    for s in sessions(att, 2):
        day_sign(session=s, by=att.teacher)
    assert Alert.objects.count() == 3
    assert not Alert.objects.filter(notified_authority=True).exists()
    assert not LearnerEvent.objects.filter(type="not_participating_properly").exists()


def test_a_new_run_after_attendance_is_a_new_incident(att):
    rule = consecutive_rule(att, days=2)
    codes = ["U", "U", "X", "U", "U"]
    for s, code in zip(sessions(att, 5), codes, strict=True):
        for e in att.enrolments:
            record_set(
                session=s, enrolment=e, by=att.teacher, code=code if e == att.enrolments[0] else "X"
            )
        day_sign(session=s, by=att.teacher)
    keys = sorted(Alert.objects.filter(rule=rule).values_list("incident_key", flat=True))
    assert len(keys) == 2


def test_rate_below_threshold_raises_once_and_resolves(att):
    rule = AlertRule.objects.create(
        provider=att.course.provider,
        name="unter 80 %",
        kind=AlertRule.Kind.RATE_BELOW,
        threshold_percent=80,
        min_ue_held=1,
    )
    days = sessions(att, 12)
    plan = ["X", "E", "U"] + ["X"] * 9
    for n, (s, code) in enumerate(zip(days, plan, strict=True)):
        for e in att.enrolments:
            record_set(
                session=s, enrolment=e, by=att.teacher, code=code if e == att.enrolments[0] else "X"
            )
        day_sign(session=s, by=att.teacher)
        if n == 5:  # 4 of 6 days: below 80 %, one open alert listing the missed days
            alert = Alert.objects.get(rule=rule)
            assert alert.resolved_at is None
            assert alert.dates == [days[1].date.isoformat(), days[2].date.isoformat()]
    alert = Alert.objects.get(rule=rule)  # still one incident
    assert alert.resolved_at is not None  # 10 of 12 days: above 80 % again


def test_staff_alerts_page_and_api(att, client, api_client, django_assert_num_queries):
    consecutive_rule(att, days=1)
    day_sign(session=sessions(att, 1)[0], by=att.teacher)
    client.force_login(att.staff)
    r = client.get(reverse("attendance-alerts"))
    assert r.status_code == 200
    assert att.learners[0].full_name in r.content.decode()
    api_client.force_authenticate(att.staff)
    url = reverse("api:attendance-alerts")
    api_client.get(url)
    with django_assert_num_queries(1):
        r = api_client.get(url)
    assert len(r.json()["results"]) == 3
    api_client.force_authenticate(att.other_staff)
    assert api_client.get(url).json()["results"] == []
    api_client.force_authenticate(att.teacher)
    assert api_client.get(url).status_code == 403


def test_internship_days_are_entered_as_p_skipping_locked_days_and_presence(att):
    days = sessions(att, 5)
    enrolment = att.enrolments[0]
    record_set(session=days[0], enrolment=enrolment, by=att.teacher, code="X")
    record_set(session=days[1], enrolment=enrolment, by=att.teacher, code="U")
    day_sign(session=days[2], by=att.teacher)  # locked: stays U
    written = register_internship_days(
        learner=att.learners[0], start=days[0].date, end=days[4].date, by=att.staff
    )
    assert written == 3  # days 1 (U→P), 3 and 4
    codes = dict(
        AttendanceRecord.objects.filter(enrolment=enrolment).values_list("session_id", "code")
    )
    assert codes[days[0].pk] == "X"
    assert codes[days[1].pk] == "P"
    assert codes[days[2].pk] == "U"
    assert codes[days[3].pk] == codes[days[4].pk] == "P"
    assert (
        register_internship_days(learner=att.learners[0], start=days[0].date, end=days[4].date) == 0
    )


def test_internship_days_only_on_given_weekdays(att):
    days = sessions(att, 5)  # Monday to Friday
    written = register_internship_days(
        learner=att.learners[1], start=days[0].date, end=days[4].date, weekdays=[0, 2]
    )
    assert written == 2
    assert set(
        AttendanceRecord.objects.filter(enrolment=att.enrolments[1]).values_list(
            "session__date", flat=True
        )
    ) == {days[0].date, days[2].date}


def test_import_enters_missing_codes_only_and_refuses_signed_days(att):
    from attendance.services import register_import
    from core.errors import DomainError

    s1, s2 = sessions(att, 2)
    record_set(session=s1, enrolment=att.enrolments[0], by=att.teacher, code="E")
    codes = {e.pk: "X" for e in att.enrolments} | {att.outsider_learner.pk * 1000: "X"}
    assert register_import(session=s1, codes=codes, by=att.staff) == 2
    assert AttendanceRecord.objects.get(session=s1, enrolment=att.enrolments[0]).code == "E"
    day_sign(session=s2, by=att.teacher)
    with pytest.raises(DomainError) as exc:
        register_import(session=s2, codes=codes, by=att.staff)
    assert exc.value.code == "day_locked"
    with pytest.raises(DomainError):
        register_import(session=s1, codes={att.enrolments[1].pk: "Z"}, by=att.staff)
