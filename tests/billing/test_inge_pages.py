"""Pages of the InGe outbox: the list per provider by status (queries pinned), a report in the
form's order with copy buttons, mark ready, record sent, correct. Outsiders get 404."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.inge.services import (
    inge_correction_create,
    inge_mark_ready,
    inge_mark_sent,
    inge_sync_course,
)
from billing.models import InGeReport
from people.models import Role
from tests.billing.inge_fixtures import BEFORE_START, report
from tests.certificates.helpers import running_course
from tests.factories import EnrolmentFactory, LearnerFactory, UserFactory, member

pytestmark = pytest.mark.django_db
Kind = InGeReport.Kind
Status = InGeReport.Status


@pytest.fixture
def synced(inge):
    inge_sync_course(course=inge.course, today=BEFORE_START)
    return inge


def outsiders(world):
    learner_user = UserFactory()
    LearnerFactory(provider=world.a.provider, user=learner_user)
    return {
        "other provider's staff": world.b.staff,
        "teacher": world.a.teacher,
        "learner": learner_user,
        "caseworker": world.caseworker,
        "volunteer": member(world.a.provider, Role.VOLUNTEER),
    }


def test_staff_see_the_reports_to_do(synced, client):
    client.force_login(synced.a.staff)
    r = client.get(reverse("billing-inge-list"))
    assert r.status_code == 200
    assert r.context["status"] == "todo"
    shown = {rep.pk for rep in r.context["page"]}
    assert shown == set(
        InGeReport.objects.filter(course=synced.course).values_list("pk", flat=True)
    )
    body = r.content.decode()
    assert (
        reverse("billing-inge-report", args=[report(synced.course, Kind.COURSE_START).pk]) in body
    )


def test_the_list_filters_by_status(synced, client):
    start = report(synced.course, Kind.COURSE_START)
    inge_mark_ready(report=start, by=synced.a.staff)
    entry = report(synced.course, Kind.ENTRY, enrolment=synced.enrolments[0])
    inge_mark_ready(report=entry, by=synced.a.staff)
    inge_mark_sent(report=entry, by=synced.a.staff, sent_on=BEFORE_START)
    client.force_login(synced.a.staff)

    def listed(status):
        r = client.get(reverse("billing-inge-list"), {"status": status})
        assert r.status_code == 200
        return {rep.pk for rep in r.context["page"]}

    other_entry = report(synced.course, Kind.ENTRY, enrolment=synced.enrolments[1])
    # Marking ready brought the outbox up to today: the later modules' starts are due as well.
    module_starts = set(
        InGeReport.objects.filter(kind=Kind.MODULE_START).values_list("pk", flat=True)
    )
    assert len(module_starts) == 6
    assert listed("todo") == {other_entry.pk} | module_starts
    assert listed("ready") == {start.pk}
    assert listed("sent") == {entry.pk}
    assert listed("all") == {start.pk, entry.pk, other_entry.pk} | module_starts
    assert listed("nonsense") == listed("todo")  # an unknown filter shows the to-do list
    sent_page = client.get(
        reverse("billing-inge-list"), {"status": "sent"}, HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert f"gesendet am {BEFORE_START:%d.%m.%Y}" in sent_page


def test_the_list_pins_its_queries(synced, client, django_assert_num_queries):
    client.force_login(synced.a.staff)
    url = reverse("billing-inge-list")
    client.get(url, {"status": "all"})  # warm caches (content types, session)
    with django_assert_num_queries(6) as first:
        client.get(url, {"status": "all"})
    other = running_course(synced.a.provider, location=synced.a.location, bamf_course_number="IK-2")
    for _ in range(6):
        EnrolmentFactory(
            course=other, learner=LearnerFactory(provider=synced.a.provider, bamf_number="K")
        )
    inge_sync_course(course=other, today=BEFORE_START)
    sent = report(other, Kind.ENTRY, enrolment=other.enrolments.first())
    sent.values, sent.missing, sent.status = [], 0, Status.SENT
    sent.sent_on, sent.sent_by = BEFORE_START, synced.a.staff
    sent.save()
    inge_correction_create(report=sent)
    with django_assert_num_queries(len(first.captured_queries)):
        r = client.get(url, {"status": "all"})
    assert len(r.context["page"]) == 3 + 7 + 1  # the other course: start, six entries, correction


def test_the_report_page_shows_the_form_in_order_with_copy_buttons(synced, client):
    rep = report(synced.course, Kind.ENTRY, enrolment=synced.enrolments[0])
    client.force_login(synced.a.staff)
    r = client.get(reverse("billing-inge-report", args=[rep.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    labels = re.findall(r'<th scope="row" lang="de">([^<]+)</th>', body)
    assert labels == [v["label"] for v in rep.values]
    assert body.count('class="inge-copy"') == len([v for v in rep.values if v["value"]])
    assert "js/billing-inge-copy.js" in body
    # CSP: no inline script on the page (every <script> loads a file).
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", body))


def test_the_report_page_names_what_is_missing(synced, client):
    synced.learners[0].bamf_number = ""
    synced.learners[0].save()
    rep = report(synced.course, Kind.ENTRY, enrolment=synced.enrolments[0])
    client.force_login(synced.a.staff)
    r = client.get(reverse("billing-inge-report", args=[rep.pk]), HTTP_ACCEPT_LANGUAGE="de")
    assert [m.key for m in r.context["missing"]] == ["kennziffer"]
    body = r.content.decode()
    assert "Die BAMF-Teilnehmernummer (Kennziffer) der lernenden Person fehlt." in body


def test_mark_ready_and_sent_through_the_pages(synced, client):
    rep = report(synced.course, Kind.COURSE_START)
    client.force_login(synced.a.staff)
    r = client.post(reverse("billing-inge-ready", args=[rep.pk]))
    assert r.status_code == 302
    rep.refresh_from_db()
    assert rep.status == Status.READY
    today = timezone.localdate()
    r = client.post(reverse("billing-inge-sent", args=[rep.pk]), {"sent_on": today.isoformat()})
    assert r.status_code == 302
    rep.refresh_from_db()
    assert (rep.status, rep.sent_on, rep.sent_by) == (Status.SENT, today, synced.a.staff)
    page = client.get(reverse("billing-inge-report", args=[rep.pk])).content.decode()
    assert f"{today:%d.%m.%Y}" in page


def test_mark_sent_without_a_day_is_refused(synced, client):
    rep = report(synced.course, Kind.COURSE_START)
    inge_mark_ready(report=rep, by=synced.a.staff)
    client.force_login(synced.a.staff)
    r = client.post(reverse("billing-inge-sent", args=[rep.pk]), {"sent_on": "soon"})
    assert r.status_code == 302
    rep.refresh_from_db()
    assert rep.status == Status.READY


def test_a_correction_through_the_pages(synced, client):
    rep = report(synced.course, Kind.COURSE_START)
    inge_mark_ready(report=rep, by=synced.a.staff)
    inge_mark_sent(report=rep, by=synced.a.staff, sent_on=BEFORE_START)
    synced.course.bamf_course_number = "IK-999/2026"
    synced.course.save()
    client.force_login(synced.a.staff)
    page = client.get(reverse("billing-inge-report", args=[rep.pk]))
    assert [(c.sent, c.now) for c in page.context["changes"]] == [("IK-123/2026", "IK-999/2026")]
    r = client.post(reverse("billing-inge-correct", args=[rep.pk]))
    correction = InGeReport.objects.get(corrects=rep)
    assert r.status_code == 302 and r["Location"] == reverse(
        "billing-inge-report", args=[correction.pk]
    )
    page = client.get(r["Location"])
    assert page.status_code == 200
    assert page.context["fields"][0]["label"] == "Korrektur der Meldung vom"
    # Once the correction is sent, the original is compared with it: nothing left to correct.
    inge_mark_ready(report=correction, by=synced.a.staff)
    inge_mark_sent(report=correction, by=synced.a.staff, sent_on=BEFORE_START)
    page = client.get(reverse("billing-inge-report", args=[rep.pk]))
    assert page.context["changes"] == []
    assert [c.pk for c in page.context["corrections"]] == [correction.pk]
    # A correction of the correction corrects the original again.
    client.post(reverse("billing-inge-correct", args=[correction.pk]))
    assert InGeReport.objects.filter(corrects=rep).count() == 2


def test_refresh_brings_the_outbox_up_to_date(inge, client):
    client.force_login(inge.a.staff)
    r = client.post(reverse("billing-inge-refresh"))
    assert r.status_code == 302
    assert InGeReport.objects.filter(course=inge.course, kind=Kind.COURSE_START).exists()
    assert (
        not InGeReport.objects.filter(course__provider=inge.a.provider)
        .exclude(course=inge.course)
        .exclude(course=inge.a.course)
        .exists()
    )


@pytest.mark.parametrize(
    "who", ["other provider's staff", "teacher", "learner", "caseworker", "volunteer"]
)
def test_outsiders_get_404_everywhere(synced, client, who):
    user = outsiders(synced.world)[who]
    rep = report(synced.course, Kind.COURSE_START)
    client.force_login(user)
    for url in [reverse("billing-inge-report", args=[rep.pk])]:
        assert client.get(url).status_code == 404, url
    for name in ["billing-inge-ready", "billing-inge-sent", "billing-inge-correct"]:
        url = reverse(name, args=[rep.pk])
        assert client.post(url, {"sent_on": "2026-01-01"}).status_code == 404, url
    rep.refresh_from_db()
    assert rep.status == Status.TODO
    if who == "other provider's staff":  # their own (empty) outbox, nothing of provider a
        r = client.get(reverse("billing-inge-list"), {"status": "all"})
        assert r.status_code == 200
        assert not [x for x in r.context["page"] if x.course.provider_id == synced.a.provider.pk]
    else:
        assert client.get(reverse("billing-inge-list")).status_code == 404
        assert client.post(reverse("billing-inge-refresh")).status_code == 404


def test_anonymous_users_are_sent_to_the_login(client):
    r = client.get(reverse("billing-inge-list"))
    assert r.status_code == 302 and "login" in r["Location"]


def test_billing_home_and_navigation_link_the_outbox(synced, client):
    client.force_login(synced.a.staff)
    body = client.get(reverse("billing-home")).content.decode()
    assert body.count(reverse("billing-inge-list")) >= 2  # navigation and the page's own link
