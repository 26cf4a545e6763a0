"""What the InGe reports of a course are made of, read from the course data in a fixed number of
queries per course (never per learner). Plain values only: the form (``billing.inge.format``)
decides what of it goes where, so a later electronic transmission reads the same facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.db.models import Max, Min, Sum
from django.utils import translation

from billing.models import InGeReport, TeacherAdmission
from certificates.models import TestResult
from courses.models import Course, Session
from enrolment.models import Enrolment
from people.models import Entitlement

#: Tests BAMF registers through InGe.
REGISTERED_EXAMS = (TestResult.Exam.DTZ, TestResult.Exam.LID)
#: Enrolments that may have entered the course (an application or a wait never did).
ENTERED_STATUSES = (
    Enrolment.Status.ENROLLED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.WITHDRAWN,
)


@dataclass(frozen=True)
class TeacherFacts:
    name: str
    admission_number: str
    admitted_on: date | None
    admission_expires_on: date | None

    def admitted_on_day(self, day: date | None) -> bool:
        if not self.admission_number or self.admitted_on is None or day is None:
            return False
        return self.admitted_on <= day and (
            self.admission_expires_on is None or day <= self.admission_expires_on
        )


@dataclass(frozen=True)
class Slot:
    weekday: int
    start: time
    end: time
    ue: int


@dataclass(frozen=True)
class ModuleFacts:
    module_id: int
    order: int
    name: str
    ue: int
    first_day: date | None
    last_day: date | None
    planned_ue: int


@dataclass(frozen=True)
class EntitlementFacts:
    kind: str
    authority: str
    #: The authority's own name as recorded (e.g. "Jobcenter Kreis Pinneberg"), may be empty.
    authority_name: str
    reference: str
    issued_on: date
    expires_on: date | None

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return False
        return self.issued_on <= day and (self.expires_on is None or day <= self.expires_on)


@dataclass(frozen=True)
class LearnerFacts:
    enrolment_id: int
    first_name: str
    last_name: str
    date_of_birth: date | None
    bamf_number: str
    entitlement: EntitlementFacts | None
    entry_date: date
    entry_module: ModuleFacts | None
    status: str
    exit_date: date | None
    exit_reason: str

    @property
    def entered(self) -> bool:
        """Whether the learner really joined: a withdrawal before the entry date is none."""
        if self.status not in ENTERED_STATUSES:
            return False
        return self.exit_date is None or self.exit_date >= self.entry_date


@dataclass(frozen=True)
class TestFacts:
    test_id: int
    exam: str
    taken_on: date
    learner: LearnerFacts


@dataclass(frozen=True)
class CourseFacts:
    course_id: int
    provider_name: str
    provider_number: str
    course_number: str
    course_type: str
    location_name: str
    street: str
    postcode: str
    town: str
    start_date: date
    end_date: date | None
    status: str
    timetable: tuple[Slot, ...]
    ue_per_week: int
    max_group_size: int
    teachers: tuple[TeacherFacts, ...]
    #: The modules taught, in order (the first is the course's first module).
    modules: tuple[ModuleFacts, ...]
    learners: tuple[LearnerFacts, ...] = ()
    tests: tuple[TestFacts, ...] = ()

    @property
    def first_module(self) -> ModuleFacts | None:
        return self.modules[0] if self.modules else None

    @property
    def first_day(self) -> date | None:
        days = [m.first_day for m in self.modules if m.first_day]
        return min(days) if days else None

    def module(self, module_id: int | None) -> ModuleFacts | None:
        return next((m for m in self.modules if m.module_id == module_id), None)

    def learner(self, enrolment_id: int | None) -> LearnerFacts | None:
        return next((lf for lf in self.learners if lf.enrolment_id == enrolment_id), None)

    def test(self, test_id: int | None) -> TestFacts | None:
        return next((t for t in self.tests if t.test_id == test_id), None)

    @property
    def learners_at_start(self) -> int:
        return sum(1 for lf in self.learners if lf.entered and lf.entry_date <= self.start_date)


@dataclass(frozen=True)
class Subject:
    """One report's facts: the course, and the module, learner or test it is about."""

    kind: str
    course: CourseFacts
    module: ModuleFacts | None = None
    learner: LearnerFacts | None = None
    test: TestFacts | None = None
    #: For a correction: the day the corrected report was sent.
    corrects_sent_on: date | None = None


def course_facts(course: Course) -> CourseFacts:
    """Everything the reports of one course need, in nine queries whatever its size. Read in
    German whatever the interface language: course type and module names are translated model
    fields, and the InGe form takes the German ones."""
    with translation.override("de"):
        return _course_facts(course)


def _course_facts(course: Course) -> CourseFacts:
    course = Course.objects.select_related("provider", "location", "course_type").get(pk=course.pk)
    teachers = list(course.teachers.order_by("last_name", "first_name", "pk"))
    admissions = {
        a.teacher_id: a
        for a in TeacherAdmission.objects.filter(
            provider_id=course.provider_id, teacher__in=[t.pk for t in teachers]
        )
    }
    per_module = {
        row["module_id"]: row
        for row in Session.objects.held()
        .filter(course=course)
        .values("module_id")
        .annotate(first=Min("date"), last=Max("date"), ue=Sum("ue"))
    }
    first_order = course.first_module.order
    modules = tuple(
        ModuleFacts(
            module_id=m.pk,
            order=m.order,
            name=m.name,
            ue=m.ue,
            first_day=per_module.get(m.pk, {}).get("first"),
            last_day=per_module.get(m.pk, {}).get("last"),
            planned_ue=per_module.get(m.pk, {}).get("ue") or 0,
        )
        for m in course.course_type.modules.order_by("order")
        if m.order >= first_order
    )
    by_module = {m.module_id: m for m in modules}
    enrolments = list(
        Enrolment.objects.filter(course=course, status__in=ENTERED_STATUSES)
        .select_related("learner")
        .order_by("learner__last_name", "learner__first_name", "pk")
    )
    entitlements: dict[int, list[Entitlement]] = {}
    for ent in Entitlement.objects.filter(
        learner_id__in={e.learner_id for e in enrolments}
    ).order_by("-issued_on", "-pk"):
        entitlements.setdefault(ent.learner_id, []).append(ent)
    learners = []
    for e in enrolments:
        entry = e.start_date or course.start_date
        ent = _entitlement_for(entitlements.get(e.learner_id, []), entry)
        learners.append(
            LearnerFacts(
                enrolment_id=e.pk,
                first_name=e.learner.first_name,
                last_name=e.learner.last_name,
                date_of_birth=e.learner.date_of_birth,
                bamf_number=e.learner.bamf_number.strip(),
                entitlement=ent,
                entry_date=entry,
                entry_module=by_module.get(e.module_id),
                status=e.status,
                exit_date=e.ended_on if e.status == Enrolment.Status.WITHDRAWN else None,
                exit_reason=e.withdrawal_reason if e.status == Enrolment.Status.WITHDRAWN else "",
            )
        )
    by_learner = {}
    for e, lf in zip(enrolments, learners, strict=True):
        if lf.entered:
            by_learner[e.learner_id] = lf  # the latest entered enrolment (ordered by pk)
    tests = tuple(
        TestFacts(test_id=t.pk, exam=t.exam, taken_on=t.taken_on, learner=by_learner[t.learner_id])
        for t in TestResult.objects.filter(course=course, exam__in=REGISTERED_EXAMS).order_by(
            "taken_on", "pk"
        )
        if t.learner_id in by_learner
    )
    return CourseFacts(
        course_id=course.pk,
        provider_name=course.provider.name,
        provider_number=course.provider.bamf_provider_number.strip(),
        course_number=course.bamf_course_number.strip(),
        course_type=course.course_type.name,
        location_name=course.location.name,
        street=course.location.street.strip(),
        postcode=course.location.postcode.strip(),
        town=course.location.town.strip(),
        start_date=course.start_date,
        end_date=course.end_date,
        status=course.status,
        timetable=tuple(
            Slot(s.weekday, s.start_time, s.end_time, s.ue) for s in course.timetable.all()
        ),
        ue_per_week=course.ue_per_week,
        max_group_size=course.course_type.max_group_size,
        teachers=tuple(
            TeacherFacts(
                name=t.get_full_name() or t.get_username(),
                admission_number=admissions[t.pk].number.strip() if t.pk in admissions else "",
                admitted_on=admissions[t.pk].admitted_on if t.pk in admissions else None,
                admission_expires_on=admissions[t.pk].expires_on if t.pk in admissions else None,
            )
            for t in teachers
        ),
        modules=modules,
        learners=tuple(learners),
        tests=tests,
    )


def _entitlement_for(entitlements: list[Entitlement], day: date) -> EntitlementFacts | None:
    """The entitlement or obligation valid on the entry day; else the latest one (so the form
    can say it expired or starts later), else none."""
    chosen = next((e for e in entitlements if e.is_valid_on(day)), None)
    chosen = chosen or (entitlements[0] if entitlements else None)
    if chosen is None:
        return None
    return EntitlementFacts(
        kind=chosen.kind,
        authority=chosen.authority,
        authority_name=chosen.authority_name.strip(),
        reference=chosen.reference.strip(),
        issued_on=chosen.issued_on,
        expires_on=chosen.expires_on,
    )


def subject_for(report: InGeReport, facts: CourseFacts) -> Subject:
    corrects_sent_on = report.corrects.sent_on if report.corrects_id and report.corrects else None
    test = facts.test(report.test_result_id)
    return Subject(
        kind=report.kind,
        course=facts,
        module=facts.module(report.module_id),
        learner=test.learner if test else facts.learner(report.enrolment_id),
        test=test,
        corrects_sent_on=corrects_sent_on,
    )
