"""The supervisor's signed weekly link: no account, one intern, one week, expires."""

import datetime as dt
import time

import pytest
from django.core import signing

from internships.models import PlacementDay
from internships.services import (
    placement_agree,
    placement_start,
    placement_week_confirm,
    supervisor_week_token,
)
from tests.factories import EmployerFactory
from tests.internships.helpers import propose

pytestmark = pytest.mark.django_db
START = dt.date(2026, 3, 2)  # Monday


@pytest.fixture
def placements(world):
    a = world.a
    # Names no page text contains by chance (random surnames may be part of one another).
    a.learners[1].last_name, a.learners[2].last_name = "Quellenberg", "Zwirnmacher"
    a.learners[1].save()
    a.learners[2].save()
    emp = EmployerFactory(provider=a.provider)
    first = propose(
        a.learners[1], emp, start=START, weekdays=[0, 1, 2], supervisor_name="Frau Kaya"
    )
    second = propose(a.learners[2], emp, start=START)
    for p in (first, second):
        placement_agree(placement=p, by=None)
        placement_start(placement=p, by=None)
    return first, second


def test_link_shows_only_this_interns_week_and_confirms_it(client, placements):
    first, second = placements
    token = supervisor_week_token(placement=first, monday=START + dt.timedelta(days=2))
    r = client.get(f"/internships/week/{token}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert first.learner.last_name in html
    assert second.learner.last_name not in html
    assert "02.03.2026" in html and "08.03.2026" in html
    assert html.count('name="present-') == 3  # Mon, Tue, Wed only
    assert "present-2026-03-05" not in html
    r = client.post(
        f"/internships/week/{token}/",
        {
            "present-2026-03-02": "1",
            "hours-2026-03-02": "6",
            "hours-2026-03-03": "0",
            "note-2026-03-03": "krank",
            "present-2026-03-04": "1",
            "hours-2026-03-04": "5.5",
            "name": "Frau Kaya",
        },
    )
    assert r.status_code == 302
    days = {d.date: d for d in PlacementDay.objects.filter(placement=first)}
    assert set(days) == {dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 4)}
    assert days[dt.date(2026, 3, 3)].present is False
    assert str(days[dt.date(2026, 3, 4)].hours) == "5.5"
    assert days[dt.date(2026, 3, 2)].confirmed_by_name == "Frau Kaya"
    assert not PlacementDay.objects.filter(placement=second).exists()


def test_expired_link_is_refused(client, placements, monkeypatch):
    first, _ = placements
    fifteen_days_ago = time.time() - 15 * 24 * 3600
    monkeypatch.setattr(
        signing.TimestampSigner,
        "timestamp",
        lambda self: signing.b62_encode(int(fifteen_days_ago)),
    )
    token = supervisor_week_token(placement=first, monday=START)
    monkeypatch.undo()
    r = client.get(f"/internships/week/{token}/")
    assert r.status_code == 410
    assert "abgelaufen" in r.content.decode()
    assert client.post(f"/internships/week/{token}/", {"name": "x"}).status_code == 410
    assert not PlacementDay.objects.exists()


def test_forged_or_altered_link_is_404(client, placements):
    first, second = placements
    token = supervisor_week_token(placement=first, monday=START)
    assert client.get(f"/internships/week/{token}x/").status_code == 404
    forged = signing.dumps({"p": second.pk, "w": "2026-03-02"}, salt="wrong-salt")
    assert client.get(f"/internships/week/{forged}/").status_code == 404


def test_days_outside_the_week_cannot_be_confirmed(placements):
    first, _ = placements
    with pytest.raises(Exception) as err:
        placement_week_confirm(
            placement=first,
            monday=START,
            days={dt.date(2026, 3, 9): {"present": True, "hours": 6}},
            confirmed_by_name="x",
        )
    assert err.value.code == "day_outside_week"


def test_staff_see_week_links_on_the_placement(client, placements, world):
    first, _ = placements
    client.force_login(world.a.staff)
    html = client.get(f"/internships/placements/{first.pk}/").content.decode()
    assert "/internships/week/" in html
