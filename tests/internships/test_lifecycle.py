"""Placement life cycle: approvals, limits, events on start and end, evaluations."""

import datetime as dt

import pytest

from core.errors import ConflictError, DomainError
from internships.models import Placement
from internships.services import (
    placement_abort,
    placement_agree,
    placement_complete,
    placement_evaluate,
    placement_start,
    placement_update,
    placements_advance,
)
from people.models import LearnerEvent
from tests.factories import EmployerFactory, OrganisationFactory
from tests.internships.helpers import propose

pytestmark = pytest.mark.django_db
START = dt.date(2026, 3, 2)


@pytest.fixture
def placement(world):
    a = world.a
    return propose(a.learners[2], EmployerFactory(provider=a.provider), start=START, by=a.staff)


def test_weekly_hours_follow_days_and_daily_hours(placement):
    assert placement.hours_per_week == 30  # 5 days × 6 h
    placement = placement_update(placement=placement, by=None, weekdays=[0, 1, 2], daily_hours=5)
    assert placement.hours_per_week == 15


def test_start_and_complete_record_learner_events(placement, world):
    staff = world.a.staff
    placement_agree(placement=placement, by=staff)
    placement_start(placement=placement, by=staff)
    placement_complete(placement=placement, by=staff, outcome="job_offer")
    events = list(LearnerEvent.objects.filter(learner=placement.learner).order_by("id"))
    assert [e.type for e in events] == ["internship_started", "internship_ended"]
    assert events[0].data["placement_id"] == placement.pk
    assert events[1].data["outcome"] == "job_offer"
    placement.refresh_from_db()
    assert placement.status == Placement.Status.COMPLETED
    assert placement.outcome == "job_offer"


def test_aborting_a_running_placement_ends_it_in_the_feed(placement, world):
    placement_agree(placement=placement, by=None)
    placement_start(placement=placement, by=None)
    with pytest.raises(DomainError):
        placement_abort(placement=placement, by=None, reason="")
    placement_abort(placement=placement, by=None, reason="Learner fell ill")
    types = list(
        LearnerEvent.objects.filter(learner=placement.learner).values_list("type", flat=True)
    )
    assert types == ["internship_started", "internship_ended"]


def test_aborting_a_proposal_records_no_event(placement):
    placement_abort(placement=placement, by=None, reason="Employer withdrew")
    assert not LearnerEvent.objects.filter(learner=placement.learner).exists()


def test_status_order_is_enforced(placement):
    with pytest.raises(ConflictError):
        placement_start(placement=placement, by=None)
    with pytest.raises(ConflictError):
        placement_complete(placement=placement, by=None)
    placement_agree(placement=placement, by=None)
    with pytest.raises(ConflictError):
        placement_update(placement=placement, by=None, daily_hours=3)


def test_employer_measure_needs_jobcenter_reference_and_at_most_six_weeks(world):
    a = world.a
    emp = EmployerFactory(provider=a.provider)
    with pytest.raises(DomainError) as err:
        propose(a.learners[2], emp, start=START, weeks=7, type="mag")
    assert err.value.code == "too_long"
    placement = propose(a.learners[2], emp, start=START, weeks=6, type="mag")
    with pytest.raises(DomainError) as err:
        placement_agree(placement=placement, by=None)
    assert err.value.code == "jobcenter_approval_missing"
    placement = placement_update(placement=placement, by=None, jobcenter_reference="JC-4711")
    assert placement_agree(placement=placement, by=None).status == "agreed"


def test_immigration_office_approval_when_needed(world):
    a = world.a
    placement = propose(
        a.learners[2],
        EmployerFactory(provider=a.provider),
        start=START,
        immigration_approval_needed=True,
    )
    with pytest.raises(DomainError) as err:
        placement_agree(placement=placement, by=None)
    assert err.value.code == "immigration_approval_missing"


def test_employer_of_another_provider_is_refused(world):
    foreign = EmployerFactory(provider=OrganisationFactory())
    with pytest.raises(DomainError) as err:
        propose(world.a.learners[0], foreign, start=START)
    assert err.value.code == "foreign_employer"


def test_daily_job_starts_and_completes_placements(placement):
    placement_agree(placement=placement, by=None)
    assert placements_advance(on=START) == {"started": 1, "completed": 0}
    assert placements_advance(on=placement.end_date + dt.timedelta(days=1)) == {
        "started": 0,
        "completed": 1,
    }
    types = list(
        LearnerEvent.objects.filter(learner=placement.learner).values_list("type", flat=True)
    )
    assert types == ["internship_started", "internship_ended"]


def test_evaluations_after_agreement(placement):
    with pytest.raises(ConflictError):
        placement_evaluate(placement=placement, by=None, midterm_evaluation="Good")
    placement_agree(placement=placement, by=None)
    placement_evaluate(
        placement=placement, by=None, midterm_evaluation="Punctual", outcome="apprenticeship"
    )
    placement.refresh_from_db()
    assert placement.midterm_evaluation == "Punctual"
    assert placement.outcome == "apprenticeship"
