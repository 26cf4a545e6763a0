"""Session generation: holidays skipped, UE totals exact, end date derived, cancellation re-plans."""

import datetime as dt

import pytest

from core.errors import DomainError
from courses.models import Session
from courses.services import course_plan_sessions, is_public_holiday, session_cancel
from tests.factories import LocationFactory, OrganisationFactory, make_course

pytestmark = pytest.mark.django_db


def test_general_course_plans_exactly_700_ue_module_by_module():
    provider = OrganisationFactory()
    course = make_course(provider=provider, start=dt.date(2027, 1, 4))
    sessions = list(course.sessions.select_related("module"))
    assert sum(s.ue for s in sessions) == 700
    per_module = {}
    for s in sessions:
        per_module[s.module.order] = per_module.get(s.module.order, 0) + s.ue
    assert per_module == {1: 100, 2: 100, 3: 100, 4: 100, 5: 100, 6: 100, 7: 100}
    assert course.end_date == sessions[-1].date
    assert course.ue_per_week == 25
    assert course.time_of_day == "morning"


def test_schleswig_holstein_holidays_are_skipped():
    provider = OrganisationFactory()
    location = LocationFactory(organisation=provider, state="SH")
    # Easter 2028: Good Friday 14 April, Easter Monday 17 April.
    course = make_course(provider=provider, location=location, start=dt.date(2028, 4, 10))
    dates = set(course.sessions.values_list("date", flat=True))
    assert dt.date(2028, 4, 14) not in dates
    assert dt.date(2028, 4, 17) not in dates
    assert dt.date(2028, 4, 13) in dates
    assert all(not is_public_holiday(d, "SH") for d in dates)


def test_state_specific_holiday_depends_on_location():
    # Reformation Day (31 Oct) is a holiday in Schleswig-Holstein but not in Bavaria.
    assert is_public_holiday(dt.date(2028, 10, 31), "SH")
    assert not is_public_holiday(dt.date(2028, 10, 31), "BY")


def test_last_day_of_module_is_shortened_to_fit():
    provider = OrganisationFactory()
    slots = [{"weekday": 0, "start_time": dt.time(18, 0), "end_time": dt.time(20, 15), "ue": 3}]
    course = make_course(
        provider=provider, type_code="job_bsk", start=dt.date(2027, 1, 4), slots=slots
    )
    sessions = list(course.sessions.all())
    assert sum(s.ue for s in sessions) == 150
    assert [s.ue for s in sessions] == [3] * 50
    assert course.time_of_day == "evening"


def test_module_boundary_splits_a_day_into_the_remaining_units():
    provider = OrganisationFactory()
    slots = [
        {"weekday": d, "start_time": dt.time(9, 0), "end_time": dt.time(11, 15), "ue": 3}
        for d in range(5)
    ]
    course = make_course(provider=provider, start=dt.date(2027, 1, 4), slots=slots)
    first_module = [s for s in course.sessions.all() if s.module.order == 1]
    assert sum(s.ue for s in first_module) == 100
    assert first_module[-1].ue == 1
    assert first_module[-1].end_time == dt.time(9, 45)


def test_cancelling_a_session_moves_the_end_date_and_keeps_the_total():
    provider = OrganisationFactory()
    course = make_course(provider=provider, start=dt.date(2027, 1, 4))
    old_end = course.end_date
    session = course.sessions.order_by("date")[10]
    session_cancel(session=session, reason="Lehrkraft erkrankt")
    course.refresh_from_db()
    held = course.sessions.held()
    assert sum(s.ue for s in held) == 700
    assert course.end_date > old_end
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED
    assert not held.filter(date=session.date, start_time=session.start_time).exists()


def test_cancellation_needs_a_reason():
    provider = OrganisationFactory()
    course = make_course(provider=provider, start=dt.date(2027, 1, 4))
    with pytest.raises(DomainError) as err:
        session_cancel(session=course.sessions.first(), reason=" ")
    assert err.value.code == "reason_required"


def test_replanning_is_idempotent():
    provider = OrganisationFactory()
    course = make_course(provider=provider, start=dt.date(2027, 1, 4))
    before = list(course.sessions.values_list("date", "start_time", "ue", "module_id"))
    course_plan_sessions(course=course)
    after = list(course.sessions.values_list("date", "start_time", "ue", "module_id"))
    assert before == after


def test_course_with_foreign_location_is_refused():
    a, b = OrganisationFactory(), OrganisationFactory()
    with pytest.raises(DomainError) as err:
        make_course(provider=a, location=LocationFactory(organisation=b))
    assert err.value.code == "foreign_location"


@pytest.mark.parametrize("start", [dt.date(9999, 12, 31), dt.date(1899, 1, 2)])
def test_a_start_date_out_of_range_is_refused_at_the_field(start):
    """Year 9999 overflowed the planning (a server error); it is a typing error."""
    provider = OrganisationFactory()
    with pytest.raises(DomainError) as err:
        make_course(provider=provider, location=LocationFactory(organisation=provider), start=start)
    assert (err.value.code, err.value.field) == ("date_out_of_range", "start_date")
