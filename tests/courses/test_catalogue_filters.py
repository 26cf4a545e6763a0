"""Every catalogue filter, on the page and on the API (the same FilterSet serves both)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = pytest.mark.django_db

PAGE_SIZE = "page_size=100"


def api_ids(client, query: str) -> set[int]:
    r = client.get(f"/api/v1/courses/?{query}&{PAGE_SIZE}")
    assert r.status_code == 200, r.content
    return {c["id"] for c in r.json()["results"]}


def page_ids(client, query: str) -> set[int]:
    r = client.get(f"/courses/?{query}")
    assert r.status_code == 200
    return {int(pk) for pk in re.findall(r'href="/courses/(\d+)/"', r.content.decode())}


@pytest.fixture
def ids(client):
    """The courses a query finds; the page and the API must find the same ones."""

    def both(query: str) -> set[int]:
        from_api, from_page = api_ids(client, query), page_ids(client, query)
        assert from_api == from_page, f"API {from_api} vs page {from_page} for {query!r}"
        return from_api

    return both


def pks(*courses) -> set[int]:
    return {c.pk for c in courses}


def test_no_filter_lists_every_public_course_and_nothing_hidden(catalogue, ids):
    assert ids("") == pks(*catalogue.public)


def test_main_level_matches_its_sub_levels(catalogue, ids):
    # general: modules A1.1…B1.2; intensive: module "A1"; late_start begins at A2.1
    assert ids("level=A1") == pks(catalogue.general, catalogue.intensive)


def test_sub_level_matches_only_courses_teaching_it(catalogue, ids):
    assert ids("level=A1.2") == pks(catalogue.general)
    assert ids("level=A2.1") == pks(catalogue.general, catalogue.late_start)


def test_level_of_course_type_target_counts(catalogue, ids):
    assert ids("level=B2") == pks(catalogue.bsk)
    # Job-BSK names no module level but leads to B1
    assert ids("level=B1") == pks(
        catalogue.general, catalogue.late_start, catalogue.intensive, catalogue.full
    )


def test_course_type(catalogue, ids):
    assert ids("course_type=intensive") == pks(catalogue.intensive)
    assert ids("course_type=general") == pks(catalogue.general, catalogue.late_start)


def test_location_and_town(catalogue, ids):
    assert ids(f"location={catalogue.l3.pk}") == pks(catalogue.bsk)
    assert ids("town=Elmshorn") == pks(catalogue.intensive, catalogue.full)


def test_time_of_day(catalogue, ids):
    assert ids("time_of_day=evening") == pks(catalogue.intensive, catalogue.full)
    assert ids("time_of_day=afternoon") == pks(catalogue.bsk)
    assert ids("time_of_day=morning") == pks(catalogue.general, catalogue.late_start)


def test_start_date_from_and_to(catalogue, ids):
    day = catalogue.today + dt.timedelta(days=30)
    assert ids(f"start_from={day:%Y-%m-%d}") == pks(
        catalogue.intensive, catalogue.bsk, catalogue.full
    )
    assert ids(f"start_to={day:%Y-%m-%d}") == pks(
        catalogue.general, catalogue.late_start, catalogue.intensive
    )
    assert ids(f"start_from={day:%Y-%m-%d}&start_to={day:%Y-%m-%d}") == pks(catalogue.intensive)


def test_childcare_offered(catalogue, ids):
    assert ids("childcare=true") == pks(catalogue.intensive)


def test_free_seats_only_drops_full_course(catalogue, ids):
    assert ids("free_seats=true") == pks(*catalogue.public) - pks(catalogue.full)


def test_provider(catalogue, ids):
    assert ids(f"provider={catalogue.p2.pk}") == pks(catalogue.intensive, catalogue.full)


def test_filters_combine(catalogue, ids):
    assert ids(f"provider={catalogue.p2.pk}&free_seats=true&time_of_day=evening") == pks(
        catalogue.intensive
    )


def test_api_rejects_unknown_choice_naming_the_field(catalogue, client):
    r = client.get("/api/v1/courses/?level=Z9&time_of_day=night")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"level", "time_of_day"}


def test_page_shows_bad_date_error_instead_of_crashing(catalogue, client):
    r = client.get("/courses/?start_from=not-a-date")
    assert r.status_code == 200
    assert 'class="errorlist"' in r.content.decode()
