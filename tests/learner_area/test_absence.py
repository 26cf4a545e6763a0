"""Report an absence: the learner's notice, its evidence, the register and the office's decision."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from attendance import services
from attendance.models import AbsenceReport, AttendanceRecord, Code
from attendance.services import EVIDENCE_MAX_BYTES
from core.errors import DomainError
from jobcenter.models import ConsentScope
from people.models import Role
from tests.factories import JobcenterLinkFactory, member


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def photo(name="krank.jpg"):
    return SimpleUploadedFile(name, jpeg(), content_type="image/jpeg")


def course_days(me, n: int) -> list[dt.date]:
    days = (
        me.course.sessions.held()
        .filter(date__gte=me.today)
        .order_by("date")
        .values_list("date", flat=True)
    )
    return list(days)[:n]


def report(me, first, last=None, reason="illness", **kw) -> AbsenceReport:
    return services.absence_report_create(
        learner=me.learner, first_day=first, last_day=last, reason=reason, by=me.user, **kw
    )


def test_learner_reports_coming_days_with_a_photo(me, client):
    days = course_days(me, 2)
    client.force_login(me.user)
    r = client.post(
        reverse("learner-absence"),
        {
            "first_day": days[0].isoformat(),
            "last_day": days[1].isoformat(),
            "reason": "sick_child",
            "evidence": photo(),
        },
    )
    assert r.status_code == 302
    rep = AbsenceReport.objects.get(learner=me.learner)
    assert (rep.first_day, rep.last_day, rep.reason) == (days[0], days[1], "sick_child")
    assert rep.evidence and not rep.certificate_needed and rep.decision == ""
    assert rep.evidence.name.startswith(f"attendance/reports/{me.learner.pk}/")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 not a picture", "virus.exe", "Send a photo (JPG or PNG) or a PDF"),
        (b"GIF89a?? broken", "x.jpg", "Send a photo (JPG or PNG) or a PDF"),
    ],
)
def test_a_wrong_file_is_refused_with_a_clear_error(me, client, content, name, message):
    client.force_login(me.user)
    client.cookies["django_language"] = "en"
    r = client.post(
        reverse("learner-absence"),
        {
            "first_day": course_days(me, 1)[0].isoformat(),
            "reason": "illness",
            "evidence": SimpleUploadedFile(name, content, "image/jpeg"),
        },
    )
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not AbsenceReport.objects.filter(learner=me.learner).exists()


def test_a_too_large_file_is_refused_naming_the_limit(me, settings):
    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * EVIDENCE_MAX_BYTES, "application/pdf"
    )
    with pytest.raises(DomainError) as exc:
        report(me, course_days(me, 1)[0], evidence=big)
    assert exc.value.code == "file_too_large" and exc.value.field == "evidence"
    assert str(EVIDENCE_MAX_BYTES // 1024 // 1024) in exc.value.message


def test_a_pdf_is_taken(me):
    pdf = SimpleUploadedFile("schein.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    assert report(me, course_days(me, 1)[0], evidence=pdf).evidence


def test_past_days_days_without_course_and_overlaps_are_refused(me):
    with pytest.raises(DomainError) as exc:
        report(me, me.today - dt.timedelta(days=1))
    assert exc.value.code == "past_day"
    saturday = me.today + dt.timedelta(days=(5 - me.today.weekday()) % 7 or 7)
    with pytest.raises(DomainError) as exc:
        report(me, saturday, saturday + dt.timedelta(days=1))
    assert exc.value.code == "no_course_day"
    day = course_days(me, 1)[0]
    report(me, day, reason="work")
    with pytest.raises(DomainError) as exc:
        report(me, day)
    assert exc.value.code == "already_reported"


def test_fourth_day_of_illness_asks_for_a_medical_certificate(me, client):
    days = course_days(me, 4)
    assert not report(me, days[0], days[2]).certificate_needed  # three days: a note will do
    fourth = report(me, days[3])
    assert fourth.certificate_needed  # the fourth course day ill in a row
    client.force_login(me.user)
    home = client.get(reverse("learner-home")).content.decode()
    assert 'id="home-certificate"' in home
    r = client.post(reverse("learner-absence-evidence", args=[fourth.pk]), {"evidence": photo()})
    assert r.status_code == 302
    assert 'id="home-certificate"' not in client.get(reverse("learner-home")).content.decode()


def test_a_long_report_of_illness_asks_for_the_certificate_at_once(me):
    days = course_days(me, 5)
    assert report(me, days[0], days[4]).certificate_needed


def test_register_shows_the_report_and_staff_decide(me, client):
    day = course_days(me, 1)[0]
    rep = report(me, day, reason="authority")
    session = me.course.sessions.held().filter(date=day).first()
    client.force_login(me.teacher)
    html = client.get(reverse("attendance-register", args=[session.pk])).content.decode()
    assert f'data-report="{rep.pk}"' in html
    # the teacher does not decide
    assert (
        client.post(reverse("attendance-report-decide", args=[rep.pk]), {"code": "E"}).status_code
        == 404
    )
    client.force_login(me.staff)
    page = client.get(reverse("attendance-learner", args=[me.learner.pk])).content.decode()
    assert f'id="report-{rep.pk}"' in page
    r = client.post(reverse("attendance-report-decide", args=[rep.pk]), {"code": "E"})
    assert r.status_code == 302
    rep.refresh_from_db()
    assert rep.decision == "E" and rep.decided_by == me.staff
    record = AttendanceRecord.objects.get(session=session, enrolment=me.enrolment)
    assert record.code == Code.EXCUSED
    assert record.absence_reason.code == "authority_appointment"
    client.force_login(me.user)


def test_other_provider_staff_cannot_decide(me, client):
    rep = report(me, course_days(me, 1)[0])
    client.force_login(me.other_staff)
    r = client.post(reverse("attendance-report-decide", args=[rep.pk]), {"code": "U"})
    assert r.status_code == 404
    rep.refresh_from_db()
    assert rep.decision == ""


def test_evidence_only_for_the_providers_staff(me, client):
    rep = report(me, course_days(me, 1)[0], evidence=photo())
    url = reverse("attendance-report-evidence", args=[rep.pk])
    client.force_login(me.staff)
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == jpeg()
    # a teacher of another course of the same provider, the course's own teacher, another
    # provider's staff, the Jobcenter (even with a link to the learner), another learner and
    # the learner themself: none of them is served the file
    other_course_teacher = member(me.world.a.provider, Role.TEACHER, username="t-other-course")
    JobcenterLinkFactory(
        learner=me.learner,
        jobcenter=me.world.jobcenter,
        customer_number="123D000001",
        consent_given_on=me.today,
        consent_scope=ConsentScope.PARTICIPATION_INTERNSHIPS,
    )
    for user in (
        other_course_teacher,
        me.world.a.other_teacher,
        me.teacher,
        me.other_staff,
        me.caseworker,
        me.other.user,
        me.user,
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
    client.logout()
    assert client.get(url).status_code == 302  # to the login
    # and it is not a public media file: its name is not on any learner page
    client.force_login(me.user)
    assert rep.evidence.name not in client.get(reverse("learner-absence")).content.decode()
