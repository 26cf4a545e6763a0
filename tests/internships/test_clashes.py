"""Clashes with course sessions block agreement; in-course internships put P into the register."""

import datetime as dt

import pytest

from attendance.models import AttendanceRecord, Code
from core.errors import ConflictError
from internships.models import Placement
from internships.selectors import placement_clashes
from internships.services import placement_agree
from tests.certificates.helpers import COURSE_START, running_course
from tests.factories import EmployerFactory, EnrolmentFactory
from tests.internships.helpers import propose

pytestmark = pytest.mark.django_db

WEEK3 = COURSE_START + dt.timedelta(weeks=2)  # Monday 19.01.2026


@pytest.fixture
def setup(world):
    a = world.a
    course = running_course(a.provider, location=a.location)  # Mon–Fri 08:30–12:45
    learner = a.learners[0]
    EnrolmentFactory(course=course, learner=learner)
    return a, course, learner, EmployerFactory(provider=a.provider)


def test_full_day_internship_during_the_course_clashes_with_dates(setup):
    a, course, learner, emp = setup
    placement = propose(learner, emp, start=WEEK3, weekdays=[0, 2])
    clashes = placement_clashes(placement)
    assert [c.date for c in clashes] == [
        dt.date(2026, 1, 19),
        dt.date(2026, 1, 21),
        dt.date(2026, 1, 26),
        dt.date(2026, 1, 28),
    ]
    assert all(c.course_id == course.pk for c in clashes)
    with pytest.raises(ConflictError) as err:
        placement_agree(placement=placement, by=a.staff)
    assert err.value.code == "clash"
    assert "19.01.2026" in err.value.message
    placement.refresh_from_db()
    assert placement.status == Placement.Status.PROPOSED


def test_afternoon_internship_beside_a_morning_course_does_not_clash(setup):
    a, _course, learner, emp = setup
    placement = propose(
        learner,
        emp,
        start=WEEK3,
        daily_start=dt.time(14, 0),
        daily_end=dt.time(18, 0),
        daily_hours=4,
    )
    assert placement_clashes(placement) == []
    placement_agree(placement=placement, by=a.staff)
    assert Placement.objects.get(pk=placement.pk).status == Placement.Status.AGREED
    assert not AttendanceRecord.objects.filter(code=Code.INTERNSHIP).exists()


def test_overlapping_times_clash(setup):
    _a, _course, learner, emp = setup
    placement = propose(
        learner, emp, start=WEEK3, daily_start=dt.time(12, 0), daily_end=dt.time(16, 0)
    )
    assert len(placement_clashes(placement)) == 10


def test_learner_not_enrolled_has_no_clashes(world):
    a = world.a
    learner = a.learners[2]  # not enrolled anywhere
    placement = propose(learner, EmployerFactory(provider=a.provider), start=WEEK3)
    assert placement_clashes(placement) == []


def test_in_course_internship_enters_p_for_course_days_inside(setup):
    a, _course, learner, emp = setup
    placement = propose(learner, emp, start=WEEK3, type="in_course", weekdays=[0, 1, 2])
    placement_agree(placement=placement, by=a.staff)
    records = AttendanceRecord.objects.filter(enrolment__learner=learner).select_related("session")
    assert {r.code for r in records} == {Code.INTERNSHIP}
    assert sorted(r.session.date for r in records) == [
        dt.date(2026, 1, 19),
        dt.date(2026, 1, 20),
        dt.date(2026, 1, 21),
        dt.date(2026, 1, 26),
        dt.date(2026, 1, 27),
        dt.date(2026, 1, 28),
    ]


def test_detail_page_shows_clash_dates_and_disables_agree(client, setup):
    a, _course, learner, emp = setup
    placement = propose(learner, emp, start=WEEK3, weekdays=[0])
    client.force_login(a.staff)
    html = client.get(f"/internships/placements/{placement.pk}/").content.decode()
    assert "Überschneidungen mit Kurstagen" in html
    assert "19.01.2026" in html and "26.01.2026" in html
    r = client.post(f"/internships/placements/{placement.pk}/agree/", follow=True)
    assert "überschneidet sich mit Kurstagen" in r.content.decode()
    assert Placement.objects.get(pk=placement.pk).status == Placement.Status.PROPOSED


def test_clash_api_and_agree_api(api_client, setup, world):
    a, _course, learner, emp = setup
    placement = propose(learner, emp, start=WEEK3, weekdays=[4])
    api_client.force_authenticate(a.staff)
    r = api_client.get(f"/api/v1/internships/placements/{placement.pk}/clashes/")
    assert [c["date"] for c in r.json()["results"]] == ["2026-01-23", "2026-01-30"]
    r = api_client.post(f"/api/v1/internships/placements/{placement.pk}/agree/")
    assert r.status_code == 409 and r.json()["code"] == "clash"
    api_client.force_authenticate(world.b.staff)
    assert (
        api_client.get(f"/api/v1/internships/placements/{placement.pk}/clashes/").status_code == 404
    )
    assert (
        api_client.post(f"/api/v1/internships/placements/{placement.pk}/agree/").status_code == 404
    )


def test_the_disabled_agree_button_looks_disabled_and_says_why(client, setup):
    """A disabled primary button kept the active colour (issue 14)."""
    import re
    from pathlib import Path

    from django.conf import settings

    a, _course, learner, emp = setup
    placement = propose(learner, emp, start=WEEK3, weekdays=[0])
    client.force_login(a.staff)
    html = client.get(f"/internships/placements/{placement.pk}/").content.decode()
    assert re.search(
        r'<button[^>]*class="primary"[^>]*disabled aria-describedby="agree-blocked"', html
    )
    assert 'id="agree-blocked"' in html
    css = (Path(settings.BASE_DIR) / "static/css/app.css").read_text()
    rule = re.search(r"button\.primary:disabled[^{]*\{([^}]*)\}", css)
    assert rule and "cursor: not-allowed" in rule.group(1) and "background" in rule.group(1)
