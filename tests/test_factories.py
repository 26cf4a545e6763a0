"""The factories build rows the app itself accepts: valid links, placed results, counted UE."""

from __future__ import annotations

from decimal import Decimal

from jobcenter.models import JobcenterLink
from tests.factories import (
    AttendanceRecordFactory,
    InternshipFactory,
    JobcenterLinkFactory,
    PlacementResultFactory,
    SessionSignOffFactory,
    make_course,
    register_fill,
)


def test_register_row_enrols_a_learner_of_the_course_and_counts_full_ue(world):
    session = world.a.course.sessions.order_by("date").first()
    present = AttendanceRecordFactory(session=session)
    absent = AttendanceRecordFactory(session=session, code="U")
    assert present.enrolment.course == world.a.course
    assert present.enrolment.learner.provider == world.a.provider
    assert (present.ue_attended, absent.ue_attended) == (Decimal(5), Decimal(0))
    assert SessionSignOffFactory(session=session).signed_by == world.a.teacher


def test_register_fill_pairs_sessions_and_codes(world):
    course = make_course(provider=world.a.provider)
    sessions = list(course.sessions.order_by("date")[:3])
    enrolment = AttendanceRecordFactory(session=sessions[0]).enrolment
    rows = register_fill(enrolment, sessions[1:], ["E", "P"])
    assert [(r.session, r.code) for r in rows] == [(sessions[1], "E"), (sessions[2], "P")]


def test_links_by_consent_and_by_obligation_are_valid_today(world):
    consent = JobcenterLinkFactory(jobcenter=world.jobcenter, learner=world.a.learners[0])
    duty = JobcenterLinkFactory(
        jobcenter=world.jobcenter, learner=world.b.learners[0], obliged=True
    )
    assert duty.obligation.jobcenter == world.jobcenter
    assert duty.obligation.learner == world.b.learners[0]
    assert set(JobcenterLink.objects.valid()) == {consent, duty}


def test_placement_result_places_where_recommended_within_one_provider(world):
    result = PlacementResultFactory(booking__slot__provider=world.a.provider)
    assert not result.deviates
    assert result.booking.learner.provider == result.booking.slot.location.organisation
    assert result.booking.slot.provider == world.a.provider


def test_internship_employer_belongs_to_the_learners_provider(world):
    internship = InternshipFactory(learner=world.b.learners[0])
    assert internship.employer.provider == world.b.provider
