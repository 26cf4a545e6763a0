"""The reports API: same figures as the page, same doors."""

from __future__ import annotations

import pytest

WEEK1 = {"date_from": "2026-01-05", "date_to": "2026-01-09"}
URL = "/api/v1/reports/attendance/"


def test_staff_get_hand_counted_figures(rw, api_client):
    api_client.force_authenticate(rw.a.staff)
    r = api_client.get(URL, WEEK1)
    assert r.status_code == 200
    by = {row["group"]: row for row in r.json()["rows"]}
    assert by["P1 Integrationskurs"]["rate_pct"] == 76.9
    assert by["P1 Integrationskurs"]["ue_held"] == 65
    assert r.json()["totals"]["rate_pct"] == 76.9
    assert "Q1 fremd" not in by


def test_teacher_only_own_course(rw, api_client):
    api_client.force_authenticate(rw.a.other_teacher)
    r = api_client.get(URL, {"date_from": "2026-01-01", "date_to": "2026-01-31"})
    assert {row["group"] for row in r.json()["rows"]} == {"P2 Berufssprachkurs"}


@pytest.mark.parametrize(
    "who, params, status",
    [
        ("anonymous", {}, 403),
        ("caseworker", {}, 403),
        ("b_staff_asks_a", {"provider": "a"}, 404),
        ("bad_filter", {"date_from": "2026-02-01", "date_to": "2026-01-01"}, 400),
    ],
)
def test_outsiders_and_bad_input(rw, api_client, who, params, status):
    user = {
        "anonymous": None,
        "caseworker": rw.world.caseworker,
        "b_staff_asks_a": rw.b.staff,
        "bad_filter": rw.a.staff,
    }[who]
    if user:
        api_client.force_authenticate(user)
    if params.get("provider") == "a":
        params = {"provider": rw.a.provider.pk}
    r = api_client.get(URL, params)
    assert r.status_code == status
    assert set(r.json()) >= {"code", "detail"}
    unknown = api_client.get("/api/v1/reports/unknown/").status_code
    assert unknown == (403 if who == "anonymous" else 404)  # the login is checked first
