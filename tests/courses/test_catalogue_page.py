"""The public catalogue page and a course's page: content, pagination, queries, languages."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from courses.models import Course
from tests.factories import member

pytestmark = pytest.mark.django_db


def clone_courses(course: Course, n: int) -> None:
    """``n`` more published copies of ``course`` (rows only: the catalogue needs no sessions)."""
    copies = []
    for _ in range(n):
        course.pk = None
        course._state.adding = True
        copies.append(
            Course(**{f.attname: getattr(course, f.attname) for f in Course._meta.concrete_fields})
        )
    Course.objects.bulk_create(copies)


def use_language(client, code: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code


def test_catalogue_is_public_and_german_by_default(catalogue, client):
    r = client.get("/courses/")
    assert r.status_code == 200
    html = r.content.decode()
    assert '<html lang="de" dir="ltr">' in html
    assert "Deutschkurs finden" in html


def test_card_shows_type_provider_place_time_dates_and_seats_left(catalogue, client):
    html = client.get(
        f"/courses/?provider={catalogue.p1.pk}&time_of_day=morning&level=A1"
    ).content.decode()
    general = catalogue.general
    assert "Allgemeiner Integrationskurs" in html
    assert "Diakonie Pinneberg" in html
    assert "Haus der Diakonie, Pinneberg" in html
    assert "Vormittag" in html
    assert f"{general.start_date:%d.%m.%Y} – {general.end_date:%d.%m.%Y}" in html
    # 25 seats, 2 enrolled; the 4 on the waiting list take no seat
    assert '<span class="badge ok">23</span>' in html


def test_full_course_says_waiting_list(catalogue, client):
    html = client.get("/courses/?course_type=job_bsk").content.decode()
    assert "Ausgebucht: Warteliste" in html


def test_pagination_keeps_the_filters(catalogue, client):
    clone_courses(catalogue.bsk, 24)  # 25 afternoon courses
    r = client.get("/courses/?time_of_day=afternoon")
    html = r.content.decode()
    assert r.context["page_obj"].paginator.count == 25
    assert len(r.context["courses"]) == 20
    assert 'href="?time_of_day=afternoon&amp;page=2"' in html
    r2 = client.get("/courses/?time_of_day=afternoon&page=2")
    assert len(r2.context["courses"]) == 5
    assert client.get("/courses/?page=99").status_code == 200  # out of range: last page


def test_catalogue_queries_do_not_grow_with_the_courses(
    catalogue, client, django_assert_num_queries
):
    # count, page of courses, and the choices of course type, town, location and provider
    with django_assert_num_queries(6):
        client.get("/courses/")
    clone_courses(catalogue.general, 30)
    with django_assert_num_queries(6):
        r = client.get("/courses/")
    assert len(r.context["courses"]) == 20


def test_course_page_shows_everything_a_learner_needs(catalogue, client, django_assert_num_queries):
    course = catalogue.general
    catalogue.l1.street, catalogue.l1.postcode = "Bahnhofstraße 5", "25421"
    catalogue.l1.save()
    with django_assert_num_queries(3):  # course with seats, timetable, modules
        r = client.get(f"/courses/{course.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    for text in (
        "Diakonie Pinneberg",
        "Bahnhofstraße 5",
        "25421 Pinneberg",
        "Montag",
        "08:30–12:45",
        "Kursabschnitt 6",
        "B1.2",
        "Orientierungskurs",
        "700 UE insgesamt, 25 UE pro Woche",
        "23 von 25",
        f"{course.start_date:%d.%m.%Y}",
        f"{course.end_date:%d.%m.%Y}",
        "Präsenz",
    ):
        assert text in html, text
    # the course starting at module 3 lists only the modules it teaches
    html = client.get(f"/courses/{catalogue.late_start.pk}/").content.decode()
    assert "Kursabschnitt 2<" not in html and "Kursabschnitt 3" in html
    assert "500 UE insgesamt" in html


@pytest.mark.parametrize("which", [0, 1, 2])
def test_hidden_course_pages_are_404_for_the_public(catalogue, client, which):
    assert client.get(f"/courses/{catalogue.hidden[which].pk}/").status_code == 404


def test_staff_see_their_own_unpublished_course_but_not_others(catalogue, client):
    unpublished = catalogue.hidden[0]  # provider p1
    client.force_login(member(catalogue.p1, "staff"))
    assert client.get(f"/courses/{unpublished.pk}/").status_code == 200
    client.force_login(member(catalogue.p2, "staff"))
    assert client.get(f"/courses/{unpublished.pk}/").status_code == 404


def test_arabic_catalogue_is_right_to_left_and_arabic(catalogue, client):
    use_language(client, "ar")
    html = client.get("/courses/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "ابحث عن دورة لغة ألمانية" in html
    html = client.get(f"/courses/{catalogue.general.pk}/").content.decode()
    assert 'dir="rtl"' in html
    assert "المقاعد المتبقية" in html


def test_english_catalogue(catalogue, client):
    use_language(client, "en")
    html = client.get("/courses/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Find a German course" in html
    assert re.search(r"5 courses found", html)


def test_language_can_be_switched_with_the_form(catalogue, client):
    r = client.post("/i18n/setlang/", {"language": "ar", "next": "/courses/"})
    assert r.status_code == 302
    assert 'dir="rtl"' in client.get("/courses/").content.decode()


def test_the_filters_fold_away_until_one_is_set(client, db):
    """On a phone the courses come first: the filters are folded, and unfold with the count of
    those set once the learner has chosen one."""
    html = client.get("/courses/").content.decode()
    assert '<details class="filter-box">' in html
    html = client.get(
        "/courses/?level=A1&time_of_day=morning", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert '<details class="filter-box" open>' in html
    assert "(2 filters set)" in html
