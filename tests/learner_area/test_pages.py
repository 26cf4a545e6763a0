"""The learner's pages: who may open them, what they show, and what they cost."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from attendance import services as attendance_services
from attendance.models import AbsenceReport
from attendance.selectors import attendance_figures, attendance_figures_by_module
from enrolment.models import Enrolment
from tests.factories import EnrolmentFactory
from tests.learner_area.conftest import pattern_codes

PAGES = [
    "learner-home",
    "learner-timetable",
    "learner-attendance",
    "learner-absence",
    "learner-offers",
    "learner-documents",
    "learner-data-access",
    "learner-password",
]


def jpeg(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "JPEG")
    return buffer.getvalue()


def next_course_day(me) -> dt.date:
    return me.course.sessions.held().filter(date__gt=me.today).order_by("date").first().date


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_for_the_learner(me, client, name):
    client.force_login(me.user)
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["staff", "other_staff", "teacher", "other_teacher", "caseworker"])
def test_nobody_but_a_learner_finds_the_pages(me, client, name, who):
    client.force_login(getattr(me, who))
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_logged_out_visitors_are_sent_to_the_login(me, client, name):
    r = client.get(reverse(name))
    assert r.status_code == 302 and r.url.startswith(reverse("login"))


def test_another_learner_of_the_course_sees_only_their_own(me, client):
    report = attendance_services.absence_report_create(
        learner=me.learner,
        first_day=next_course_day(me),
        last_day=None,
        reason="work",
        note="Vorstellungsgespräch bei Firma Quelle",
        by=me.user,
    )
    client.force_login(me.other.user)
    for name in PAGES:
        html = client.get(reverse(name)).content.decode()
        assert "Amal" not in html and "Firma Quelle" not in html
    assert client.get(reverse("learner-home")).context["page"].learner == me.other
    r = client.post(
        reverse("learner-absence-evidence", args=[report.pk]),
        {"evidence": SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg")},
    )
    assert r.status_code == 404
    assert not AbsenceReport.objects.get(pk=report.pk).evidence


def test_home_shows_the_next_course_day_with_time_place_room_and_teacher(me, client):
    client.force_login(me.user)
    r = client.get(reverse("learner-home"))
    page = r.context["page"]
    session = page.next_day.session
    expected = (
        me.course.sessions.held().filter(date__gte=me.today).order_by("date", "start_time").first()
    )
    assert session == expected or (session.date > expected.date)
    html = r.content.decode()
    assert session.start_time.strftime("%H:%M") in html
    assert me.course.location.name in html and "2.14" in html
    assert me.teacher.get_full_name() in html
    assert 'id="home-next"' in html


def test_attendance_shows_the_figures_staff_and_jobcenter_see(me, client):
    client.force_login(me.long_learner.user)
    r = client.get(reverse("learner-attendance"))
    (row,) = r.context["rows"]
    # counted by hand from the register the fixture wrote: UE are held on every course day from
    # the entry up to today; 50 days of the pattern X X E X U X X X P X: 40 attended, 5 E, 5 U
    held = me.course.sessions.held().filter(
        date__gte=me.long_enrolment.start_date, date__lte=me.today
    )
    past = held.filter(date__lt=me.today).order_by("date")
    attended = sum(
        s.ue for s, code in zip(past, pattern_codes(50), strict=True) if code in ("X", "P")
    )
    assert attended == 40 * 5
    figures = row.figures
    assert figures.ue_held == sum(s.ue for s in held)
    assert figures.ue_attended == attended
    assert (figures.excused_days, figures.unexcused_days, figures.internship_days) == (5, 5, 5)
    assert figures == attendance_figures([me.long_enrolment])[me.long_enrolment.pk]
    assert sum(m.figures.ue_held for m in row.modules) == figures.ue_held
    assert sum(m.figures.excused_days for m in row.modules) == 5
    assert sum(len(m.days) for m in row.modules) == 50
    html = r.content.decode()
    assert "absent, not excused" in html or "nicht entschuldigt" in html


def test_figures_by_module_add_up_to_the_figures(me):
    enrolments = [me.enrolment, me.long_enrolment, me.other_enrolment]
    totals = attendance_figures(enrolments)
    for enrolment_id, modules in attendance_figures_by_module(enrolments).items():
        assert sum(f.ue_held for f in modules.values()) == totals[enrolment_id].ue_held
        assert sum(f.ue_attended for f in modules.values()) == totals[enrolment_id].ue_attended
        assert (
            sum(f.unexcused_days for f in modules.values()) == totals[enrolment_id].unexcused_days
        )


@pytest.mark.parametrize("name", PAGES)
def test_query_count_does_not_grow_with_course_days(me, client, name):
    """The same count for a learner with 5 course days as for one with 50, pinned."""
    counts = []
    for learner in (me.learner, me.long_learner):
        client.force_login(learner.user)
        client.get(reverse(name))  # warm caches (content types, templates)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] == PINNED[name], counts


#: Session, user, learner and memberships (navigation) are 4; then each page's own reads.
PINNED = {
    "learner-home": 9,  # enrolments, reports, coming days, their teachers, today's records
    "learner-timetable": 8,  # enrolments, days, reports, calendar feed
    "learner-attendance": 13,  # enrolments, figures (2), by module (2), modules, days, records, reports
    "learner-absence": 5,  # reports
    "learner-offers": 6,  # enrolments, wishes (+ the staff's position rule per waiting list)
    "learner-documents": 8,  # enrolments, documents, card, receipts
    "learner-data-access": 7,  # links, access log, webhook deliveries
    "learner-password": 4,
}


def test_offer_is_answered_online_with_the_staff_service(me, client):
    course = me.course
    offered = EnrolmentFactory(
        learner=me.other,
        course=me.world.a.course,
        status=Enrolment.Status.OFFERED,
        offer_expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=2),
    )
    assert course  # the learner's running course stays as it is
    client.force_login(me.other.user)
    html = client.get(reverse("learner-offers")).content.decode()
    assert f'id="offer-{offered.pk}"' in html
    assert 'id="home-offer"' in client.get(reverse("learner-home")).content.decode()
    r = client.post(reverse("learner-offer-answer", args=[offered.pk, "decline"]))
    assert r.status_code == 302
    offered.refresh_from_db()
    assert offered.status == Enrolment.Status.WITHDRAWN
    client.force_login(me.learner.user)
    assert (
        client.post(reverse("learner-offer-answer", args=[offered.pk, "accept"])).status_code == 404
    )


def test_documents_offer_registration_proof_and_card(me, client):
    client.force_login(me.user)
    html = client.get(reverse("learner-documents")).content.decode()
    assert reverse("enrolment-confirmation-pdf", args=[me.enrolment.pk]) in html
    r = client.get(reverse("learner-card-pdf"))
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert (
        client.get(reverse("enrolment-confirmation-pdf", args=[me.enrolment.pk])).status_code == 200
    )
    assert (
        client.get(reverse("enrolment-confirmation-pdf", args=[me.other_enrolment.pk])).status_code
        == 404
    )


def test_card_pdf_is_for_learners_only(me, client):
    client.force_login(me.other_staff)
    assert client.get(reverse("learner-card-pdf")).status_code == 404


def test_the_card_is_in_the_learners_language_and_direction(me):
    from django.template.loader import render_to_string
    from django.utils import translation

    context = {
        "cards": [{"card": None, "learner": me.learner, "qr": ""}],
        "provider": me.world.a.provider,
    }
    with translation.override("fa"):
        html = render_to_string("attendance/pdf/cards.html", context)
    assert '<html lang="fa" dir="rtl">' in html
    assert "کارت زبان‌آموز" in html
    with translation.override("de"):
        html = render_to_string("attendance/pdf/cards.html", context)
    assert '<html lang="de" dir="ltr">' in html
