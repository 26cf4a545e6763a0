"""The teacher's register: one tap per code, sign and lock, staff corrections with history,
absence reasons and the medical certificate, and the doors (outsiders get 404)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from attendance import tokens
from attendance.models import AbsenceReason, AttendanceCorrection, AttendanceRecord, SessionSignOff
from attendance.selectors import attendance_figures, unsigned_days
from attendance.services import checkin_record, day_sign, record_set
from core.errors import DomainError

from .conftest import DAY


def mark(client, att, enrolment, **data):
    return client.post(
        reverse("attendance-mark", args=[att.session.pk]), {"enrolment": enrolment.pk, **data}
    )


def test_teacher_home_lists_courses_and_todays_sessions(att, client, clock):
    client.force_login(att.teacher)
    r = client.get(reverse("teacher-home"))
    assert r.status_code == 200
    html = r.content.decode()
    assert reverse("attendance-course", args=[att.course.pk]) in html
    assert reverse("attendance-register", args=[att.session.pk]) in html  # today is DAY


def test_register_is_prefilled_from_checkins(att, client):
    checkin_record(session_id=att.session.pk, user=att.learners[0].user)
    client.force_login(att.teacher)
    r = client.get(reverse("attendance-register", args=[att.session.pk]))
    assert r.status_code == 200
    html = r.content.decode()
    row = html.split(f'id="e{att.enrolments[0].pk}"', 1)[1].split("</li>", 1)[0]
    assert 'data-code="X" aria-pressed="true"' in row.replace("\n", " ") or "is-current" in row


def test_one_tap_sets_a_code_and_sign_locks_the_day(att, client):
    client.force_login(att.teacher)
    r = mark(client, att, att.enrolments[0], code="E")
    assert r.status_code == 302
    assert AttendanceRecord.objects.get(enrolment=att.enrolments[0]).code == "E"
    mark(client, att, att.enrolments[1], code="X")
    r = client.post(reverse("attendance-sign", args=[att.session.pk]), {"confirm": "1"})
    assert r.status_code == 302
    assert SessionSignOff.objects.filter(session=att.session, signed_by=att.teacher).exists()
    codes = dict(AttendanceRecord.objects.values_list("enrolment_id", "code"))
    assert codes == {
        att.enrolments[0].pk: "E",
        att.enrolments[1].pk: "X",
        att.enrolments[2].pk: "U",
    }
    # locked: the teacher's tap is refused and nothing changes
    mark(client, att, att.enrolments[2], code="X")
    assert AttendanceRecord.objects.get(enrolment=att.enrolments[2]).code == "U"


def test_locked_day_edit_by_teacher_is_refused_in_the_service_and_api(att, api_client):
    day_sign(session=att.session, by=att.teacher)
    with pytest.raises(DomainError) as exc:
        record_set(session=att.session, enrolment=att.enrolments[0], by=att.teacher, code="X")
    assert exc.value.code == "day_locked"
    api_client.force_authenticate(att.teacher)
    r = api_client.post(
        reverse("api:attendance-record-set", args=[att.session.pk]),
        {"enrolment": att.enrolments[0].pk, "code": "X", "reason": "forgot"},
        format="json",
    )
    assert r.status_code == 409 and r.json()["code"] == "day_locked"


def test_staff_correction_needs_a_reason_and_keeps_history(att, client):
    day_sign(session=att.session, by=att.teacher)
    with pytest.raises(DomainError) as exc:
        record_set(session=att.session, enrolment=att.enrolments[0], by=att.staff, code="E")
    assert exc.value.code == "reason_required"
    record_set(
        session=att.session,
        enrolment=att.enrolments[0],
        by=att.staff,
        code="E",
        reason="Krankmeldung kam per Post",
    )
    correction = AttendanceCorrection.objects.get()
    assert correction.changed_by == att.staff
    assert correction.old["code"] == "U" and correction.new["code"] == "E"
    assert correction.reason == "Krankmeldung kam per Post"
    client.force_login(att.staff)
    r = client.get(reverse("attendance-learner", args=[att.learners[0].pk]))
    assert r.status_code == 200
    assert "Krankmeldung kam per Post" in r.content.decode()


def test_only_x_e_u_w_p_can_be_stored(att):
    with pytest.raises(DomainError) as exc:
        record_set(session=att.session, enrolment=att.enrolments[0], by=att.teacher, code="Q")
    assert exc.value.code == "invalid_code"
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceRecord.objects.create(
            session=att.session, enrolment=att.enrolments[0], code="Q", method="teacher"
        )


def test_times_off_the_timetable_reduce_ue(att):
    record = record_set(
        session=att.session,
        enrolment=att.enrolments[0],
        by=att.teacher,
        code="X",
        arrived_at=dt.time(8, 40),
        left_at=dt.time(11, 0),
    )
    assert record.left_at == dt.time(11, 0)
    assert record.ue_attended < att.session.ue
    record = record_set(
        session=att.session,
        enrolment=att.enrolments[1],
        by=att.teacher,
        code="X",
        left_at=dt.time(12, 35),
    )
    assert record.ue_attended == att.session.ue  # within 15 minutes counts in full


def test_medical_certificate_requested_from_fourth_day_of_illness(att):
    illness = AbsenceReason.objects.get(code="illness")
    sessions = list(att.course.sessions.order_by("date", "start_time")[:5])
    flags = []
    for s in sessions:
        record = record_set(
            session=s, enrolment=att.enrolments[0], by=att.teacher, absence_reason=illness
        )
        assert record.code == "E"
        flags.append(record.certificate_requested)
    assert flags == [False, False, False, True, True]


def test_qr_checkins_count_only_once_the_day_is_signed(att, clock):
    checkin_record(session_id=att.session.pk, user=att.learners[0].user)
    before = attendance_figures([att.enrolments[0]], until=DAY)[att.enrolments[0].pk]
    assert before.ue_attended == 0
    day_sign(session=att.session, by=att.teacher)
    after = attendance_figures([att.enrolments[0]], until=DAY)[att.enrolments[0].pk]
    assert after.ue_attended == att.session.ue and after.rate == 1.0


def test_future_day_cannot_be_signed(att):
    future = att.course.sessions.filter(date__gt=dt.date.today()).first()
    with pytest.raises(DomainError) as exc:
        day_sign(session=future, by=att.teacher)
    assert exc.value.code == "future_day"


def test_unsigned_days_selector(att):
    days = list(unsigned_days(provider_ids=[att.course.provider_id], until=DAY))
    assert att.session in days
    day_sign(session=att.session, by=att.teacher)
    assert att.session not in unsigned_days(provider_ids=[att.course.provider_id], until=DAY)
    assert not unsigned_days(provider_ids=[att.world.b.provider.pk], until=DAY).filter(
        course=att.course
    )


PAGES = [
    ("attendance-register", "session"),
    ("attendance-qr", "session"),
    ("attendance-scan", "session"),
    ("attendance-signature-sheet", "session"),
    ("attendance-course", "course"),
]


@pytest.mark.parametrize("who", ["other_teacher", "other_staff", "other_provider_teacher"])
def test_outsiders_get_404_on_session_pages(att, client, who):
    client.force_login(getattr(att, who))
    for name, kind in PAGES:
        obj = att.session if kind == "session" else att.course
        assert client.get(reverse(name, args=[obj.pk])).status_code == 404, name
    module = att.session.module
    url = reverse("attendance-module-list", args=[att.course.pk, module.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["other_teacher", "other_staff", "other_provider_teacher"])
def test_outsiders_get_404_on_writes_and_api(att, client, api_client, who):
    user = getattr(att, who)
    client.force_login(user)
    assert mark(client, att, att.enrolments[0], code="X").status_code == 404
    assert client.post(reverse("attendance-sign", args=[att.session.pk])).status_code == 404
    api_client.force_authenticate(user)
    for name in ("attendance-register", "attendance-token"):
        assert api_client.get(reverse(f"api:{name}", args=[att.session.pk])).status_code == 404
    r = api_client.post(reverse("api:attendance-sign", args=[att.session.pk]))
    assert r.status_code == 404
    assert not AttendanceRecord.objects.exists()
    assert not SessionSignOff.objects.exists()


def test_staff_pages_are_404_for_other_providers(att, client):
    client.force_login(att.other_staff)
    assert client.get(reverse("attendance-learner", args=[att.learners[0].pk])).status_code == 404
    assert client.get(reverse("attendance-card-pdf", args=[att.learners[0].pk])).status_code == 404
    assert client.get(reverse("attendance-course-cards", args=[att.course.pk])).status_code == 404
    client.force_login(att.teacher)  # a teacher is not the office
    assert client.get(reverse("attendance-learner", args=[att.learners[0].pk])).status_code == 404


def test_staff_of_the_provider_may_open_the_register(att, client):
    client.force_login(att.staff)
    assert client.get(reverse("attendance-register", args=[att.session.pk])).status_code == 200


def test_register_api_query_count_is_constant(att, api_client, django_assert_num_queries):
    api_client.force_authenticate(att.teacher)
    url = reverse("api:attendance-register", args=[att.session.pk])
    api_client.get(url)
    # memberships, the session, enrolments, records, absence reports of the day
    with django_assert_num_queries(4) as ctx:
        r = api_client.get(url)
    assert len(r.json()["results"]) == 3
    from tests.attendance.conftest import learner_with_login
    from tests.factories import EnrolmentFactory

    for _ in range(5):
        EnrolmentFactory(learner=learner_with_login(att.course.provider), course=att.course)
    with django_assert_num_queries(len(ctx.captured_queries)):
        r = api_client.get(url)
    assert len(r.json()["results"]) == 8


def test_token_endpoint_gives_a_fresh_verifiable_url(att, api_client):
    api_client.force_authenticate(att.teacher)
    r = api_client.get(reverse("api:attendance-token", args=[att.session.pk]))
    assert r.status_code == 200
    data = r.json()
    token = data["url"].split("?t=", 1)[1]
    from urllib.parse import unquote

    assert tokens.verify_session_token(unquote(token), session_id=att.session.pk)
    assert data["svg"].startswith("<svg") and 0 < data["expires_in"] <= tokens.ROTATE_SECONDS


def test_evidence_is_uploaded_and_served_to_staff_only(att, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from attendance.models import AbsenceEvidence

    settings.MEDIA_ROOT = tmp_path
    record = record_set(session=att.session, enrolment=att.enrolments[0], by=att.teacher, code="E")
    client.force_login(att.teacher)
    upload = SimpleUploadedFile("attest.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = client.post(reverse("attendance-evidence-upload", args=[record.pk]), {"file": upload})
    assert r.status_code == 404  # teachers do not handle health documents
    client.force_login(att.staff)
    upload = SimpleUploadedFile("attest.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = client.post(
        reverse("attendance-evidence-upload", args=[record.pk]),
        {"file": upload, "is_medical_certificate": "1"},
    )
    assert r.status_code == 302
    evidence = AbsenceEvidence.objects.get()
    assert evidence.is_medical_certificate
    url = reverse("attendance-evidence", args=[evidence.pk])
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"%PDF-1.4 test"
    for outsider in (att.teacher, att.other_staff, att.learners[0].user):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_qr_screen_uses_only_static_script(att, client):
    client.force_login(att.teacher)
    r = client.get(reverse("attendance-qr", args=[att.session.pk]))
    html = r.content.decode()
    assert "<svg" in html and "js/attendance-qr.js" in html
    assert "<script>" not in html and "onclick" not in html and 'style="' not in html


def test_an_over_long_note_is_refused_not_cut(att):
    session = att.session
    with pytest.raises(DomainError) as err:
        record_set(
            session=session, enrolment=att.enrolments[0], by=att.teacher, code="X", note="n" * 301
        )
    assert (err.value.code, err.value.field) == ("too_long", "note")
    assert not AttendanceRecord.objects.filter(
        enrolment=att.enrolments[0], session=session
    ).exists()
