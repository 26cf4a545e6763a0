"""The InGe-Online forms: which fields each report has, in the order the form asks for them, with
the label as printed on the form, and the rules a report must meet before it can be marked ready.

This is the one module that knows InGe's format. Everything else hands it a ``Subject`` (plain
facts, ``billing.inge.facts``) and gets back a ``Form``: an electronic transmission replaces
this module (or adds a serialiser beside ``form_for``) and nothing else.

The labels and the fixed values (reasons for leaving, test names) are the German texts of the
form and stay German whatever the interface language: staff compare them with the screen in
InGe. The messages about what is missing are interface text (translated)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from billing.inge.facts import CourseFacts, ModuleFacts, Subject, TeacherFacts

#: Reports about what lies this many days ahead are already prepared (a module's start, an entry).
LEAD_DAYS = 14

TITLES: dict[str, str] = {
    "course_start": "Kursbeginnmeldung",
    "module_start": "Meldung Kursabschnitt",
    "entry": "Teilnehmereintritt",
    "exit": "Teilnehmeraustritt",
    "test_entry": "Prüfungsanmeldung",
}

WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")

#: Reasons for leaving as InGe lists them (``Enrolment.WithdrawalReason`` → form text).
EXIT_REASONS: dict[str, str] = {
    "moving": "Umzug",
    "work": "Arbeitsaufnahme",
    "childcare": "Kinderbetreuung",
    "illness": "Krankheit",
    "course_change": "Kurswechsel",
    "no_longer_entitled": "Wegfall der Teilnahmeberechtigung",
    "other": "Sonstiger Grund",
}

EXAMS: dict[str, str] = {
    "dtz": "Deutsch-Test für Zuwanderer (DTZ)",
    "lid": "Test Leben in Deutschland (LiD)",
}

AUTHORITIES: dict[str, str] = {
    "bamf": "BAMF",
    "abh": "Ausländerbehörde",
    "jobcenter": "Jobcenter",
    "asylblg": "Träger der Leistungen nach dem AsylbLG",
    "agentur": "Agentur für Arbeit",
}

ENTITLEMENT_KINDS: dict[str, str] = {
    "entitlement": "Berechtigung",
    "admission": "Zulassung durch das BAMF",
    "obligation": "Verpflichtung",
}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Missing:
    """A required item the report lacks: what, and what staff do about it."""

    key: str
    label: str
    message: str
    todo: str


@dataclass(frozen=True)
class Form:
    title: str
    fields: tuple[Field, ...]
    missing: tuple[Missing, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    def values(self) -> list[dict[str, str]]:
        return [{"key": f.key, "label": f.label, "value": f.value} for f in self.fields]


def due_on(subject: Subject) -> date | None:
    """When InGe expects the report: a course or module start and an entry by their first day,
    an exit by its day, a test registration before the test."""
    course = subject.course
    if subject.kind == "course_start":
        return course.first_day or course.start_date
    if subject.kind == "module_start":
        return subject.module.first_day if subject.module else None
    if subject.kind == "entry":
        return subject.learner.entry_date if subject.learner else None
    if subject.kind == "exit":
        return subject.learner.exit_date if subject.learner else None
    if subject.kind == "test_entry":
        return subject.test.taken_on if subject.test else None
    return None


def form_for(subject: Subject) -> Form:
    """The report as the InGe form shows it, with every required item that is missing."""
    builder = _BUILDERS[subject.kind]
    form = _Builder()
    if subject.corrects_sent_on is not None:
        form.add("korrektur", "Korrektur der Meldung vom", _day(subject.corrects_sent_on))
    builder(form, subject)
    return Form(TITLES[subject.kind], tuple(form.fields), tuple(form.missing))


class _Builder:
    def __init__(self) -> None:
        self.fields: list[Field] = []
        self.missing: list[Missing] = []

    def add(self, key: str, label: str, value: str) -> None:
        self.fields.append(Field(key, label, value))

    def need(self, key: str, label: str, value: str, message: str, todo: str) -> None:
        """A required field: shown in its place, and named as missing when empty."""
        self.add(key, label, value)
        if not value.strip():
            self.lack(key, label, message, todo)

    def lack(self, key: str, label: str, message: str, todo: str) -> None:
        self.missing.append(Missing(key, label, message, todo))


def _day(value: date | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


# --- the parts several forms share ---------------------------------------------------------------


def _course_number(form: _Builder, course: CourseFacts) -> None:
    form.need(
        "kursnummer",
        "Kursnummer",
        course.course_number,
        _("The BAMF course number is missing."),
        _("Enter the BAMF course number on the course (Courses › the course › edit)."),
    )


def _location(form: _Builder, course: CourseFacts) -> None:
    address = ", ".join(
        p for p in (course.location_name, course.street, f"{course.postcode} {course.town}".strip())
    )
    form.add("kursort", "Kursort (Anschrift)", address)
    if not (course.street and course.postcode and course.town):
        form.lack(
            "kursort",
            "Kursort (Anschrift)",
            _("The course location has no full address (street, postcode and town)."),
            _("Enter street and postcode of the location (admin › Locations)."),
        )


def _teachers(form: _Builder, teachers: tuple[TeacherFacts, ...], day: date | None) -> None:
    form.add("lehrkraft", "Lehrkraft", "; ".join(t.name for t in teachers))
    form.add(
        "zulassung",
        "Zulassungsnummer der Lehrkraft",
        "; ".join(t.admission_number for t in teachers if t.admission_number),
    )
    if not teachers:
        form.lack(
            "lehrkraft",
            "Lehrkraft",
            _("No teacher is assigned to the course."),
            _("Assign the course's teacher on the course page."),
        )
    for teacher in teachers:
        if not teacher.admitted_on_day(day):
            form.lack(
                "zulassung",
                "Zulassungsnummer der Lehrkraft",
                _("%(teacher)s has no BAMF admission as a teacher on record for %(day)s.")
                % {"teacher": teacher.name, "day": _day(day) or "—"},
                _(
                    "Record the teacher's admission number and dates "
                    "(admin › Teacher admissions (BAMF)), or assign an admitted teacher."
                ),
            )


def _module_hours(form: _Builder, module: ModuleFacts) -> None:
    form.add("ue", "Unterrichtseinheiten", str(module.ue))
    if module.first_day is None:
        form.lack(
            "beginn",
            "Beginn",
            _("Module %(order)s has no course days yet.") % {"order": module.order},
            _("Plan the course days of the module (course › timetable)."),
        )
    elif module.planned_ue != module.ue:
        form.lack(
            "ue",
            "Unterrichtseinheiten",
            _("The course days of module %(order)s hold %(planned)s UE; the module has %(ue)s UE.")
            % {"order": module.order, "planned": module.planned_ue, "ue": module.ue},
            _("Add or cancel course days until the module's UE are planned exactly."),
        )


def _person(form: _Builder, subject: Subject) -> None:
    learner = subject.learner
    assert learner is not None
    form.need(
        "kennziffer",
        "Kennziffer (BAMF-Teilnehmernummer)",
        learner.bamf_number,
        _("The learner's BAMF participant number (Kennziffer) is missing."),
        _(
            "Enter the Kennziffer from the entitlement or obligation letter on the learner's "
            "record."
        ),
    )
    form.add("name", "Name", learner.last_name)
    form.add("vorname", "Vorname", learner.first_name)
    form.need(
        "geburtsdatum",
        "Geburtsdatum",
        _day(learner.date_of_birth),
        _("The learner's date of birth is missing."),
        _("Enter the date of birth on the learner's record."),
    )


# --- the forms -----------------------------------------------------------------------------------


def _course_start(form: _Builder, subject: Subject) -> None:
    course = subject.course
    form.need(
        "traegernummer",
        "Trägernummer",
        course.provider_number,
        _("The provider's BAMF provider number (Trägernummer) is missing."),
        _("Enter the BAMF provider number on the provider (admin › Organisations)."),
    )
    _course_number(form, course)
    form.add("kursart", "Kursart", course.course_type)
    _location(form, course)
    first_day = course.first_day
    form.add("kursbeginn", "Kursbeginn", _day(first_day or course.start_date))
    form.need(
        "kursende",
        "Voraussichtliches Kursende",
        _day(course.end_date),
        _("The course has no end date yet (it comes from the course days)."),
        _("Plan the course days of the whole course (course › timetable)."),
    )
    module = course.first_module
    form.add("kursabschnitt", "Kursabschnitt bei Kursbeginn", str(module.order) if module else "")
    if module is not None:
        _module_hours(form, module)
    timetable = "; ".join(
        f"{WEEKDAYS[s.weekday]} {s.start:%H:%M}–{s.end:%H:%M}" for s in course.timetable
    )
    form.need(
        "unterrichtszeiten",
        "Unterrichtszeiten",
        timetable,
        _("The course has no weekly timetable."),
        _("Enter the weekly timetable of the course."),
    )
    form.add("ue_woche", "UE pro Woche", str(course.ue_per_week) if course.ue_per_week else "")
    _teachers(form, course.teachers, first_day or course.start_date)
    count = course.learners_at_start
    form.add("teilnehmende", "Teilnehmende bei Kursbeginn", str(count))
    if count > course.max_group_size:
        form.lack(
            "teilnehmende",
            "Teilnehmende bei Kursbeginn",
            _("%(n)s learners start; a group may have at most %(max)s.")
            % {"n": count, "max": course.max_group_size},
            _("Move learners to another group before the course start is reported."),
        )


def _module_start(form: _Builder, subject: Subject) -> None:
    course, module = subject.course, subject.module
    _course_number(form, course)
    if module is None:  # the module is no longer taught in this course
        form.lack(
            "kursabschnitt",
            "Kursabschnitt",
            _("The module is no longer taught in this course."),
            _("Check the course's first module; this report is not needed any more."),
        )
        return
    form.add("kursabschnitt", "Kursabschnitt", str(module.order))
    form.add("bezeichnung", "Bezeichnung", module.name)
    form.add("beginn", "Beginn", _day(module.first_day))
    form.add("ende", "Voraussichtliches Ende", _day(module.last_day))
    _module_hours(form, module)
    _teachers(form, course.teachers, module.first_day)
    _location(form, course)


def _entitlement(form: _Builder, subject: Subject) -> None:
    learner = subject.learner
    assert learner is not None
    ent = learner.entitlement
    label = "Teilnahmeberechtigung"
    if ent is None:
        form.add("berechtigung", label, "")
        form.add("ausgestellt", "Ausgestellt am / durch", "")
        form.lack(
            "berechtigung",
            label,
            _("No entitlement or obligation is recorded for the learner."),
            _(
                "Record the entitlement or obligation (BAMF letter, Jobcenter or immigration "
                "office) with its dates on the learner's record."
            ),
        )
        return
    kind = ENTITLEMENT_KINDS.get(ent.kind, ent.kind)
    authority = ent.authority_name or AUTHORITIES.get(ent.authority, ent.authority)
    form.add("berechtigung", label, f"{kind} {ent.reference}".strip())
    form.add("ausgestellt", "Ausgestellt am / durch", f"{_day(ent.issued_on)} / {authority}")
    if not ent.valid_on(learner.entry_date):
        form.lack(
            "berechtigung",
            label,
            _("The entitlement (%(issued)s–%(expires)s) is not valid on the entry date %(entry)s.")
            % {
                "issued": _day(ent.issued_on),
                "expires": _day(ent.expires_on) or "…",
                "entry": _day(learner.entry_date),
            },
            _("Ask the learner for a current letter and record it, or check the entry date."),
        )


def _entry(form: _Builder, subject: Subject) -> None:
    course, learner = subject.course, subject.learner
    _course_number(form, course)
    if learner is None:
        form.lack(
            "kennziffer",
            "Kennziffer (BAMF-Teilnehmernummer)",
            _("The enrolment no longer counts as an entry."),
            _("Check the enrolment; this report is not needed any more."),
        )
        return
    _person(form, subject)
    _entitlement(form, subject)
    form.add("eintritt", "Eintrittsdatum", _day(learner.entry_date))
    module = learner.entry_module
    form.add("kursabschnitt", "Kursabschnitt bei Eintritt", str(module.order) if module else "")
    first_day = course.first_day or course.start_date
    if learner.entry_date < first_day:
        form.lack(
            "eintritt",
            "Eintrittsdatum",
            _("The entry date %(entry)s lies before the course's first day %(first)s.")
            % {"entry": _day(learner.entry_date), "first": _day(first_day)},
            _("Correct the learner's entry date on the enrolment."),
        )


def _exit(form: _Builder, subject: Subject) -> None:
    course, learner = subject.course, subject.learner
    _course_number(form, course)
    if learner is None or learner.exit_date is None:
        form.lack(
            "austritt",
            "Austrittsdatum",
            _("The learner has not left the course (any more)."),
            _("Check the enrolment; this report is not needed any more."),
        )
        return
    _person(form, subject)
    form.add("austritt", "Austrittsdatum", _day(learner.exit_date))
    form.need(
        "grund",
        "Austrittsgrund",
        EXIT_REASONS.get(learner.exit_reason, ""),
        _("The reason for leaving is missing."),
        _("Record the reason for leaving on the enrolment."),
    )


def _test_entry(form: _Builder, subject: Subject) -> None:
    course, test = subject.course, subject.test
    _course_number(form, course)
    if test is None:
        form.lack(
            "pruefung",
            "Prüfung",
            _("The test is no longer recorded for a learner of this course."),
            _("Check the test result; this report is not needed any more."),
        )
        return
    _person(form, subject)
    form.add("pruefung", "Prüfung", EXAMS.get(test.exam, test.exam))
    form.add("pruefungsdatum", "Prüfungsdatum", _day(test.taken_on))
    _location(form, course)


_BUILDERS: dict[str, Callable[[_Builder, Subject], None]] = {
    "course_start": _course_start,
    "module_start": _module_start,
    "entry": _entry,
    "exit": _exit,
    "test_entry": _test_entry,
}


def prepared(day: date | None, today: date) -> bool:
    """Whether a report about ``day`` is prepared already (it lies within the lead time)."""
    return day is not None and day <= today + timedelta(days=LEAD_DAYS)
