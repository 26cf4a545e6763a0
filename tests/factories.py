"""Factories that keep every object inside its own provider: people, enrolments, register rows and
sign-offs, placement tests, internships and Jobcenter links. Rows are written directly (test data);
the services that create them in production are tested in each app's own tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from types import SimpleNamespace

import factory
from django.utils import timezone

from attendance.models import AttendanceRecord, Code, Method, SessionSignOff
from courses.models import Course, CourseType, Session
from courses.services import course_create
from enrolment.models import Enrolment, PlacementBooking, PlacementResult, PlacementSlot
from enrolment.services.base import seats_recount
from internships.models import Employer, Placement
from jobcenter.models import ConsentScope, JobcenterLink
from people.models import Entitlement, Learner, Location, Organisation, Role, User
from people.services import membership_grant

PASSWORD = "test-pass-123!"
MONDAY_TO_FRIDAY_MORNING = [
    {"weekday": d, "start_time": dt.time(8, 30), "end_time": dt.time(12, 45), "ue": 5}
    for d in range(5)
]


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Träger {n}")
    kind = Organisation.Kind.PROVIDER


class JobcenterFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Jobcenter {n}")
    kind = Organisation.Kind.JOBCENTER


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Standort {n}")
    town = "Elmshorn"
    state = "SH"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(organisation: Organisation, role: str, **user_fields) -> User:
    """A user holding ``role`` in ``organisation``."""
    user = UserFactory(**user_fields)
    membership_grant(user=user, organisation=organisation, role=role)
    user.refresh_from_db()
    return user


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner

    provider = factory.SubFactory(OrganisationFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    # adults born 1960–1999, however many learners a long test run creates (the birth-date rule
    # refuses anyone under 16)
    date_of_birth = factory.Sequence(
        lambda n: dt.date(1960, 1, 1) + dt.timedelta(days=(37 * n) % (365 * 40))
    )
    preferred_language = "ar"
    registered_on = factory.LazyFunction(timezone.localdate)


class EntitlementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entitlement

    learner = factory.SubFactory(LearnerFactory)
    kind = Entitlement.Kind.ENTITLEMENT
    authority = Entitlement.Authority.BAMF
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=335))


class ObligationFactory(EntitlementFactory):
    """An obligation to attend, issued by a Jobcenter two months ago and valid for ten more."""

    kind = Entitlement.Kind.OBLIGATION
    authority = Entitlement.Authority.JOBCENTER
    jobcenter = factory.SubFactory(JobcenterFactory)
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=300))


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An enrolment written directly (test data), with the course's seat count kept as the
    enrolment services keep it. Pass ``course``; the learner is one of the course's provider."""

    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    course = None
    learner = factory.SubFactory(
        LearnerFactory, provider=factory.SelfAttribute("..course.provider")
    )
    module = factory.LazyAttribute(lambda o: o.course.first_module)
    status = Enrolment.Status.ENROLLED
    start_date = factory.LazyAttribute(
        lambda o: o.course.start_date if o.status == Enrolment.Status.ENROLLED else None
    )
    offer_expires_at = factory.LazyAttribute(
        lambda o: (
            timezone.now() + dt.timedelta(days=3) if o.status == Enrolment.Status.OFFERED else None
        )
    )

    @factory.post_generation
    def count_seats(obj, create, extracted, **kwargs):
        if create:
            seats_recount(obj.course)


#: Codes whose day counts as attended in full (present; internship day in a course).
ATTENDED_CODES = (Code.PRESENT, Code.INTERNSHIP)


class AttendanceRecordFactory(factory.django.DjangoModelFactory):
    """One register row: the learner's code for one course day, entered by the teacher.

    Present and internship days carry the session's full UE, absences none. Pass ``session``;
    without ``enrolment`` a learner of the course's provider is enrolled for it."""

    class Meta:
        model = AttendanceRecord

    session = None
    enrolment = factory.SubFactory(
        EnrolmentFactory, course=factory.SelfAttribute("..session.course")
    )
    code = Code.PRESENT
    ue_attended = factory.LazyAttribute(
        lambda o: Decimal(o.session.ue) if o.code in ATTENDED_CODES else Decimal(0)
    )
    method = Method.TEACHER


def register_fill(
    enrolment: Enrolment, sessions: Iterable[Session], codes: Iterable[str]
) -> list[AttendanceRecord]:
    """A register row per session with the code at the same position (one code per session)."""
    return [
        AttendanceRecordFactory(session=session, enrolment=enrolment, code=code)
        for session, code in zip(sessions, codes, strict=True)
    ]


class SessionSignOffFactory(factory.django.DjangoModelFactory):
    """The teacher's signature that locks a course day (pass ``session``)."""

    class Meta:
        model = SessionSignOff

    session = None
    signed_by = factory.LazyAttribute(lambda o: o.session.course.teachers.first())


class PlacementSlotFactory(factory.django.DjangoModelFactory):
    """A placement test appointment at one of the provider's locations, a week from today."""

    class Meta:
        model = PlacementSlot

    provider = factory.SubFactory(OrganisationFactory)
    location = factory.SubFactory(LocationFactory, organisation=factory.SelfAttribute("..provider"))
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    start_time = dt.time(9)
    capacity = 10


class PlacementBookingFactory(factory.django.DjangoModelFactory):
    """A learner booked into a placement test slot of their own provider."""

    class Meta:
        model = PlacementBooking

    slot = factory.SubFactory(PlacementSlotFactory)
    learner = factory.SubFactory(LearnerFactory, provider=factory.SelfAttribute("..slot.provider"))


class PlacementResultFactory(factory.django.DjangoModelFactory):
    """A placement test result; the learner is placed where the test recommends unless
    ``placed_module`` (with a ``deviation_reason``) says otherwise."""

    class Meta:
        model = PlacementResult

    booking = factory.SubFactory(PlacementBookingFactory)
    level_reached = "A1"
    recommended_module = factory.LazyFunction(
        lambda: course_type().modules.order_by("order").first()
    )
    recommended_course_type = factory.LazyAttribute(lambda o: o.recommended_module.course_type)
    placed_module = factory.SelfAttribute("recommended_module")
    placed_course_type = factory.LazyAttribute(lambda o: o.placed_module.course_type)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    provider = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Betrieb {n}")
    sector = "Pflege"
    town = "Pinneberg"


class InternshipFactory(factory.django.DjangoModelFactory):
    """An internship placement (written directly, not through ``placement_create``): running
    from a week ago for four weeks, 20 hours a week, at an employer of the learner's provider."""

    class Meta:
        model = Placement

    learner = factory.SubFactory(LearnerFactory)
    employer = factory.SubFactory(
        EmployerFactory, provider=factory.SelfAttribute("..learner.provider")
    )
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=28))
    hours_per_week = Decimal(20)
    status = Placement.Status.RUNNING


class JobcenterLinkFactory(factory.django.DjangoModelFactory):
    """A learner known to a Jobcenter under a customer number, by the learner's consent (given
    three days ago, covering everything) or, with ``obliged=True``, by a reporting duty: an
    obligation issued by this Jobcenter, valid today."""

    class Meta:
        model = JobcenterLink

    class Params:
        obliged = factory.Trait(
            basis=JobcenterLink.Basis.OBLIGATION,
            obligation=factory.SubFactory(
                ObligationFactory,
                learner=factory.SelfAttribute("..learner"),
                jobcenter=factory.SelfAttribute("..jobcenter"),
            ),
            consent_given_on=None,
            consent_scope="",
        )

    learner = factory.SubFactory(LearnerFactory)
    jobcenter = factory.SubFactory(JobcenterFactory)
    customer_number = factory.Sequence(lambda n: f"123D{n:06d}")
    basis = JobcenterLink.Basis.CONSENT
    consent_given_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    consent_scope = ConsentScope.PARTICIPATION_INTERNSHIPS


def course_type(code: str = "general") -> CourseType:
    return CourseType.objects.current().get(code=code)


def make_course(
    *,
    provider: Organisation,
    location: Location | None = None,
    type_code: str = "general",
    start: dt.date | None = None,
    slots: list[dict] | None = None,
    teachers: list[User] = (),
    status: str = Course.Status.OPEN,
    **fields,
) -> Course:
    """A course planned through the real service, so its sessions exist."""
    location = location or LocationFactory(organisation=provider)
    ctype = course_type(type_code)
    course = course_create(
        provider=provider,
        location=location,
        course_type=ctype,
        start_date=start or timezone.localdate() + dt.timedelta(days=14),
        slots=slots or MONDAY_TO_FRIDAY_MORNING,
        status=status,
        **fields,
    )
    if teachers:
        course.teachers.set(teachers)
    return course


def build_provider(name: str) -> SimpleNamespace:
    provider = OrganisationFactory(name=name)
    location = LocationFactory(organisation=provider, name=f"{name} Haus", town="Pinneberg")
    staff = member(provider, Role.STAFF, username=f"{name.lower()}-staff")
    teacher = member(provider, Role.TEACHER, username=f"{name.lower()}-teacher")
    other_teacher = member(provider, Role.TEACHER, username=f"{name.lower()}-teacher2")
    course = make_course(provider=provider, location=location, teachers=[teacher])
    learners = [LearnerFactory(provider=provider) for _ in range(3)]
    return SimpleNamespace(
        provider=provider,
        location=location,
        staff=staff,
        teacher=teacher,
        other_teacher=other_teacher,
        course=course,
        learners=learners,
    )


def build_world() -> SimpleNamespace:
    """Two providers (a, b), each with staff, two teachers, a course and learners; two Jobcenters."""
    jobcenter = JobcenterFactory(name="Jobcenter Kreis Pinneberg")
    other_jobcenter = JobcenterFactory(name="Jobcenter Segeberg")
    return SimpleNamespace(
        a=build_provider("Diakonie"),
        b=build_provider("Caritas"),
        jobcenter=jobcenter,
        caseworker=member(jobcenter, Role.CASEWORKER, username="jc-caseworker"),
        other_jobcenter=other_jobcenter,
        other_caseworker=member(other_jobcenter, Role.CASEWORKER, username="jc2-caseworker"),
    )
