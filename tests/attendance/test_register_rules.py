"""Issue 14, register: impossible Kommt/Geht times are refused at the field, only days that have
begun are recorded (ahead of time only an announced absence), a signed day refuses check-ins."""

import datetime as dt

import pytest
from django.urls import reverse

from attendance.models import AbsenceReason, AttendanceRecord
from attendance.services import record_set
from core.errors import DomainError


@pytest.mark.parametrize(
    ("arrived", "left", "field"),
    [
        (dt.time(12, 0), dt.time(9, 0), "left_at"),  # Geht before Kommt
        (dt.time(6, 0), None, "arrived_at"),  # before the course day
        (None, dt.time(18, 0), "left_at"),  # after the course day
    ],
)
def test_impossible_times_are_refused_at_the_field(att, arrived, left, field):
    with pytest.raises(DomainError) as exc:
        record_set(
            session=att.session,
            enrolment=att.enrolments[0],
            by=att.teacher,
            code="X",
            arrived_at=arrived,
            left_at=left,
        )
    assert (exc.value.code, exc.value.field) == ("impossible_time", field)
    assert not AttendanceRecord.objects.filter(enrolment=att.enrolments[0]).exists()


def test_register_page_shows_the_time_error_beside_the_field(att, client):
    client.force_login(att.teacher)
    e = att.enrolments[0]
    url = reverse("attendance-mark", args=[att.session.pk])
    r = client.post(
        url, {"enrolment": e.pk, "code": "X", "arrived_at": "12:00", "left_at": "09:00"}
    )
    assert r.status_code == 302
    html = client.get(reverse("attendance-register", args=[att.session.pk])).content.decode()
    assert 'data-field="left_at"' in html and "Geht" in html
    assert 'aria-invalid="true"' in html


def test_future_day_takes_only_an_announced_absence(att, clock):
    later = att.next_session
    e = att.enrolments[0]
    with pytest.raises(DomainError) as exc:
        record_set(session=later, enrolment=e, by=att.teacher, code="X")
    assert exc.value.code == "future_day"
    with pytest.raises(DomainError):
        record_set(session=later, enrolment=e, by=att.teacher, code="E")  # no reason
    appointment = AbsenceReason.objects.exclude(default_code="U").first()
    record = record_set(
        session=later, enrolment=e, by=att.teacher, code="E", absence_reason=appointment
    )
    assert record.code == "E"
    # the day itself, once begun, can be recorded
    clock.at(8, 29)
    with pytest.raises(DomainError):
        record_set(session=att.session, enrolment=e, by=att.teacher, code="X")
    clock.at(8, 30)
    assert record_set(session=att.session, enrolment=e, by=att.teacher, code="X").code == "X"


def test_after_sign_off_scans_and_checkins_are_refused_and_change_nothing(att, client, clock):
    from attendance.models import LearnerCard
    from attendance.services import card_checkin, checkin_record, day_sign

    checkin_record(session_id=att.session.pk, user=att.learners[0].user)
    day_sign(session=att.session, by=att.teacher)
    before = list(
        AttendanceRecord.objects.filter(session=att.session)
        .order_by("pk")
        .values_list("enrolment_id", "code", "method")
    )
    for learner in att.learners[:2]:  # one checked in before, one left blank (now U)
        with pytest.raises(DomainError) as exc:
            checkin_record(session_id=att.session.pk, user=learner.user)
        assert exc.value.code == "day_locked"
    LearnerCard.objects.create(learner=att.learners[1], token="card-1")
    with pytest.raises(DomainError) as exc:
        card_checkin(session=att.session, token="LBCARD:card-1", by=att.teacher)
    assert exc.value.code == "day_locked"
    client.force_login(att.teacher)
    r = client.post(reverse("attendance-scan", args=[att.session.pk]), {"card": "card-1"})
    assert r.status_code == 400
    assert "already signed" in r.content.decode() or "abgezeichnet" in r.content.decode()
    after = list(
        AttendanceRecord.objects.filter(session=att.session)
        .order_by("pk")
        .values_list("enrolment_id", "code", "method")
    )
    assert after == before


def test_sign_shows_a_summary_first_and_signs_only_on_confirmation(att, client):
    from attendance.models import SessionSignOff
    from tests.attendance.conftest import learner_with_login
    from tests.factories import EnrolmentFactory

    record_set(session=att.session, enrolment=att.enrolments[0], by=att.teacher, code="X")
    newcomer = learner_with_login(att.world.a.provider, last_name="Neuzugang")
    joined = EnrolmentFactory(learner=newcomer, course=att.course, start_date=att.session.date)
    joined.created_at = dt.datetime.combine(att.session.date, dt.time(7, 50), tzinfo=dt.UTC)
    joined.save(update_fields=["created_at"])  # the offer was accepted that morning
    client.force_login(att.teacher)
    url = reverse("attendance-sign", args=[att.session.pk])
    r = client.post(url)
    assert r.status_code == 200
    assert not SessionSignOff.objects.filter(session=att.session).exists()
    html = r.content.decode()
    summary = r.context["summary"]
    assert (summary.present, summary.excused, summary.unexcused) == (1, 0, 3)
    blanks = sorted(le.full_name for le in [*att.learners[1:], newcomer])
    assert sorted(summary.blanks) == blanks
    assert summary.joined_today == [newcomer.full_name]
    assert 'id="sign-joined"' in html and newcomer.full_name in html
    r = client.post(url, {"confirm": "1"})
    assert r.status_code == 302
    assert SessionSignOff.objects.filter(session=att.session).exists()
    page = client.get(reverse("attendance-register", args=[att.session.pk])).content.decode()
    assert "data-joined-today" in page


def test_module_list_counts_held_days_only_and_shows_a_late_entry(att, clock, client):
    from attendance.selectors import NOT_ENROLLED, course_ue_held, module_register
    from courses.models import Session
    from tests.attendance.conftest import learner_with_login
    from tests.factories import EnrolmentFactory

    module = att.session.module
    sessions = list(Session.objects.filter(course=att.course, module=module).order_by("date"))
    assert len(sessions) > 4
    clock.at(13, 0, day=sessions[2].date)  # three days taught, the rest still planned
    expected = sum(s.ue for s in sessions[:3])
    late = learner_with_login(att.world.a.provider, last_name="Spaeter")
    EnrolmentFactory(learner=late, course=att.course, start_date=sessions[2].date)
    data = module_register(course=att.course, module=module)
    assert data.ue_held == expected
    assert course_ue_held(course=att.course, module=module) == expected
    row = next(r for r in data.rows if r.enrolment.learner_id == late.pk)
    assert row.entry_date == sessions[2].date
    assert [row.cells.get(s.pk, "") for s in sessions[:3]] == [NOT_ENROLLED, NOT_ENROLLED, ""]
    others = [r for r in data.rows if r.enrolment.learner_id != late.pk]
    assert all(r.entry_date is None and not r.cells for r in others)
    client.force_login(att.staff)
    r = client.get(reverse("attendance-module-list", args=[att.course.pk, module.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"


def test_a_checkin_overlapping_one_already_made_is_refused_naming_it(att, client, clock):
    from attendance.services import checkin_record
    from tests.factories import EnrolmentFactory, make_course

    other = make_course(
        provider=att.world.a.provider,
        location=att.world.a.location,
        start=att.session.date,
        status="running",
        title="Abendkurs Deutsch",
        slots=[
            {"weekday": d, "start_time": dt.time(10, 0), "end_time": dt.time(11, 30), "ue": 2}
            for d in range(5)
        ],
    )
    learner = att.learners[0]
    EnrolmentFactory(learner=learner, course=other)
    other_session = other.sessions.get(date=att.session.date)
    checkin_record(session_id=att.session.pk, user=learner.user)
    clock.at(10, 5)
    with pytest.raises(DomainError) as exc:
        checkin_record(session_id=other_session.pk, user=learner.user)
    assert exc.value.code == "overlapping_session"
    assert str(att.course) in exc.value.message and "08:30–12:45" in exc.value.message
    assert not AttendanceRecord.objects.filter(session=other_session).exists()
    client.force_login(learner.user)
    from attendance import tokens

    r = client.get(
        reverse("attendance-checkin", args=[other_session.pk])
        + "?t="
        + tokens.session_token(other_session.pk)
    )
    assert r.status_code == 409
    assert "08:30" in r.content.decode()
