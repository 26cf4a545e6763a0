"""Tandems: suggestions ranked and explained (waiting list first, ties by id, the same every
time), the learner's consent before the volunteer sees anything, withdrawal that removes the
learner from the volunteer's view at once, and the regular check-in with the stall flag."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.errors import DomainError
from enrolment.models import Enrolment
from tests.factories import EnrolmentFactory
from volunteers import services
from volunteers.models import HoursEntry, Tandem, TandemCheckin, VolunteerPolicy
from volunteers.selectors import tandem_suggestions

from .helpers import today

pytestmark = pytest.mark.django_db


def candidates(vw):
    course = vw.a.course
    close = EnrolmentFactory(
        course=course,
        learner__native_language="Arabisch",
        learner__preferred_language="ar",
        learner__postcode="25421",
        learner__available_times=["afternoon"],
    )
    waiting = [
        EnrolmentFactory(
            course=course,
            status=Enrolment.Status.WAITLISTED,
            learner__native_language="Ukrainisch",
            learner__preferred_language="uk",
        )
        for _ in range(2)
    ]
    far = EnrolmentFactory(
        course=course, learner__native_language="Tigrinya", learner__preferred_language="en"
    )
    return close.learner, [w.learner for w in waiting], far.learner


def test_suggestions_put_waiting_learners_first_then_score_then_id(vw):
    close, waiting, far = candidates(vw)
    rows = tandem_suggestions(vw.volunteer)
    assert [r.learner.pk for r in rows] == [waiting[0].pk, waiting[1].pk, close.pk, far.pk]
    assert waiting[0].pk < waiting[1].pk
    assert [r.score for r in rows] == [100, 100, 70, 0]
    # the same answer every time, whatever order the database returns
    assert [r.learner.pk for r in tandem_suggestions(vw.volunteer)] == [r.learner.pk for r in rows]
    with translation.override("en"):
        explained = {r.code: r.text for r in tandem_suggestions(vw.volunteer)[2].reasons}
    assert explained == {
        "shared_language": "Speaks Arabic (B2), the learner's language",
        "level_fit": "At A1.1 a shared language helps most",
        "common_time": "Both have time: Afternoon",
        "same_postcode": "Same postcode (25421)",
    }


def test_the_matching_page_and_api_show_the_reasons(vw, client, api_client):
    close, waiting, far = candidates(vw)
    client.force_login(vw.a.staff)
    html = client.get(
        reverse("volunteers-staff-matches", args=[vw.volunteer.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert html.index(waiting[0].last_name) < html.index(close.last_name)
    api_client.force_authenticate(vw.a.staff)
    body = api_client.get(f"/api/v1/volunteers/{vw.volunteer.pk}/suggestions/").json()
    assert [r["learner"] for r in body["results"]] == [
        waiting[0].pk,
        waiting[1].pk,
        close.pk,
        far.pk,
    ]
    assert body["results"][0]["reasons"][0]["code"] == "waiting_list"
    assert body["results"][0]["reasons"][0]["points"] == 100


def test_suggestions_leave_out_learners_with_a_tandem_and_other_providers(vw):
    close, waiting, far = candidates(vw)
    services.tandem_propose(
        volunteer=vw.other, learner=waiting[0], contact_channel="office", by=vw.a.staff
    )
    EnrolmentFactory(course=vw.b.course, status=Enrolment.Status.WAITLISTED)
    ids = [r.learner.pk for r in tandem_suggestions(vw.volunteer)]
    assert ids == [waiting[1].pk, close.pk, far.pk]


def test_matching_page_query_count_does_not_grow_with_learners(
    vw, client, django_assert_num_queries
):
    candidates(vw)
    client.force_login(vw.a.staff)
    url = reverse("volunteers-staff-matches", args=[vw.volunteer.pk])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(6):
        candidates(vw)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def propose(vw, **kw):
    return services.tandem_propose(
        volunteer=vw.volunteer,
        learner=vw.learner,
        contact_channel="whatsapp",
        contact_detail="0176 1234567",
        meeting_times="Di 17 Uhr",
        by=vw.a.staff,
        **kw,
    )


def test_nothing_of_the_learner_reaches_the_volunteer_before_consent(vw, client):
    tandem = propose(vw)
    client.force_login(vw.volunteer.user)
    assert client.get(reverse("volunteers-tandem", args=[tandem.pk])).status_code == 404
    home = client.get(reverse("volunteers-home")).content.decode()
    assert "Lena" not in home and "0176 1234567" not in home


def test_after_consent_the_volunteer_sees_first_name_languages_level_contact_only(vw, client):
    vw.learner.native_language = "Arabisch"
    vw.learner.email = "lena@example.org"
    vw.learner.phone = "0151 999"
    vw.learner.save()
    tandem = propose(vw)
    client.force_login(vw.learner.user)
    assert "Vera" in client.get(reverse("volunteers-buddy")).content.decode()
    r = client.post(reverse("volunteers-buddy-action", args=[tandem.pk, "agree"]))
    assert r.status_code == 302
    tandem.refresh_from_db()
    assert tandem.status == Tandem.Status.ACTIVE and tandem.consent_method == "account"
    client.force_login(vw.volunteer.user)
    page = client.get(
        reverse("volunteers-tandem", args=[tandem.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Lena" in page and "0176 1234567" in page and "Arabic" in page
    for secret in (vw.learner.last_name, "lena@example.org", "0151 999", "25421"):
        assert secret not in page
    assert vw.learner.date_of_birth.strftime("%d.%m.%Y") not in page


def test_withdrawn_consent_removes_the_learner_from_the_volunteers_view_at_once(vw, client):
    tandem = propose(vw)
    services.tandem_consent_give(tandem=tandem, method="signed_form", by=vw.a.staff)
    client.force_login(vw.volunteer.user)
    url = reverse("volunteers-tandem", args=[tandem.pk])
    assert client.get(url).status_code == 200
    assert "Lena" in client.get(reverse("volunteers-home")).content.decode()

    learner_client = client.__class__()
    learner_client.force_login(vw.learner.user)
    r = learner_client.post(reverse("volunteers-buddy-action", args=[tandem.pk, "withdraw"]))
    assert r.status_code == 302

    assert client.get(url).status_code == 404
    assert "Lena" not in client.get(reverse("volunteers-home")).content.decode()
    r = client.post(
        reverse("volunteers-tandem", args=[tandem.pk]), {"date": today(), "minutes": 60}
    )
    assert r.status_code == 404
    tandem.refresh_from_db()
    assert (tandem.status, tandem.end_reason) == ("ended", "consent_withdrawn")
    with pytest.raises(DomainError):
        services.tandem_meeting_log(tandem=tandem, day=today(), minutes=30, by=vw.volunteer.user)


def test_a_learner_declines_and_the_volunteer_never_sees_them(vw, client):
    tandem = propose(vw)
    client.force_login(vw.learner.user)
    client.post(reverse("volunteers-buddy-action", args=[tandem.pk, "decline"]))
    tandem.refresh_from_db()
    assert (tandem.status, tandem.end_reason, tandem.consent_given_at) == (
        "ended",
        "declined",
        None,
    )


def test_only_the_learner_consents_in_their_account(vw):
    tandem = propose(vw)
    with pytest.raises(DomainError) as exc:
        services.tandem_consent_give(tandem=tandem, method="account", by=vw.a.staff)
    assert exc.value.code == "not_learner"


def test_meetings_count_as_hours_for_approval(vw, client):
    tandem = propose(vw)
    services.tandem_consent_give(tandem=tandem, method="in_person", by=vw.a.staff)
    client.force_login(vw.volunteer.user)
    r = client.post(
        reverse("volunteers-tandem", args=[tandem.pk]),
        {"date": today().isoformat(), "minutes": "75", "note": "Einkaufen geübt"},
    )
    assert r.status_code == 302
    entry = HoursEntry.objects.get(volunteer=vw.volunteer)
    assert (entry.minutes, entry.source, entry.status) == (75, "tandem", "pending")


def test_quiet_tandems_are_asked_and_flagged_once_per_stall(vw):
    VolunteerPolicy.objects.create(
        provider=vw.a.provider, checkin_interval_days=21, stall_after_days=42
    )
    tandem = propose(vw)
    services.tandem_consent_give(tandem=tandem, method="in_person", by=vw.a.staff)
    start = today()
    assert services.tandems_review(on=start + dt.timedelta(days=20)) == services.TandemRound(0, 0)
    assert services.tandems_review(on=start + dt.timedelta(days=21)) == services.TandemRound(1, 0)
    assert services.tandems_review(on=start + dt.timedelta(days=22)) == services.TandemRound(0, 0)
    assert services.tandems_review(on=start + dt.timedelta(days=42)) == services.TandemRound(1, 1)
    assert services.tandems_review(on=start + dt.timedelta(days=43)) == services.TandemRound(0, 0)
    tandem.refresh_from_db()
    assert tandem.stalled_since == start + dt.timedelta(days=42)
    # an answer (dated today) is a sign of life: the flag goes; a new silence of the stall
    # time from the answer flags again
    checkin = TandemCheckin.objects.filter(tandem=tandem).order_by("-asked_on").first()
    services.tandem_checkin_answer(checkin=checkin, answer="meeting", by=vw.volunteer.user)
    tandem.refresh_from_db()
    assert tandem.stalled_since is None and tandem.last_sign_of_life == today()
    assert services.tandems_review(on=today() + dt.timedelta(days=41)).flagged == 0
    assert services.tandems_review(on=today() + dt.timedelta(days=42)).flagged == 1


def test_wanting_to_stop_flags_the_tandem_at_once(vw):
    tandem = propose(vw)
    services.tandem_consent_give(tandem=tandem, method="in_person", by=vw.a.staff)
    checkin = TandemCheckin.objects.create(tandem=tandem, asked_on=today())
    services.tandem_checkin_answer(checkin=checkin, answer="ending", by=vw.volunteer.user)
    tandem.refresh_from_db()
    assert tandem.stalled_since == today()


def test_a_restricted_learner_disappears_from_volunteer_and_staff_pages(vw, client):
    from django.utils import timezone

    from people.models import Learner

    tandem = propose(vw)
    services.tandem_consent_give(tandem=tandem, method="in_person", by=vw.a.staff)
    Learner.all_objects.filter(pk=vw.learner.pk).update(restricted_at=timezone.now())
    client.force_login(vw.volunteer.user)
    assert client.get(reverse("volunteers-tandem", args=[tandem.pk])).status_code == 404
    assert "Lena" not in client.get(reverse("volunteers-home")).content.decode()
    client.force_login(vw.a.staff)
    assert client.get(reverse("volunteers-staff-tandem", args=[tandem.pk])).status_code == 404
