"""The plan of an import: every row new, changed (with its changes), unchanged or invalid (with its errors), before anything is written."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.languages import ISO_639_1, language_code, language_name
from courses.models import Course
from enrolment.models import Enrolment
from enrolment.resources.files import (
    EXTRA,
    FIELDS,
    GENDER_WORDS,
    REQUIRED,
    DateProblem,
    FileProblem,
    Table,
    _norm,
    column_names,
    field_label,
    read_table,
)
from enrolment.resources.values import display, natural_keys, parse_date, raw_text
from people.models import Learner, Organisation
from people.phones import PhoneError, phone_normalise
from people.resources import cell_text
from people.rules import birth_date_problem

# --- the plan ----------------------------------------------------------------------------------


@dataclass
class PlannedRow:
    row: int
    kind: str = "new"  # new | changed | unchanged | invalid
    name: str = ""
    values: dict[str, Any] = field(default_factory=dict)
    learner: Learner | None = None
    changes: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    course: Course | None = None
    module: int | None = None

    def as_json(self) -> dict:
        return {
            "row": self.row,
            "kind": self.kind,
            "name": self.name,
            "birth": display("date_of_birth", self.values.get("date_of_birth")),
            "learner": self.learner.pk if self.learner else None,
            "changes": self.changes,
            "errors": self.errors,
            "notes": self.notes,
        }

    def fingerprint(self) -> tuple:
        """What the import will do with the row: compared between preview and import."""
        return (
            self.row,
            self.kind,
            self.learner.pk if self.learner else None,
            tuple((c["field"], *c["raw"]) for c in self.changes),
        )


@dataclass
class Plan:
    rows: list[PlannedRow]
    columns: list[str]
    ignored_columns: list[str]
    encoding: str = ""
    delimiter: str = ""

    def count(self, kind: str) -> int:
        return sum(1 for r in self.rows if r.kind == kind)

    def summary(self) -> dict:
        return {
            "new": self.count("new"),
            "update": self.count("changed"),
            "unchanged": self.count("unchanged"),
            "invalid": self.count("invalid"),
            "encoding": self.encoding,
            "delimiter": {";": ";", ",": ",", "\t": "Tab"}.get(self.delimiter, ""),
            "columns": [field_label(c) for c in self.columns],
            "ignored_columns": self.ignored_columns,
            "problems": [
                {"row": r.row, "messages": r.errors} for r in self.rows if r.kind == "invalid"
            ],
            "rows": [r.as_json() for r in self.rows],
        }


def plan(*, provider: Organisation, table: Table) -> Plan:
    """Read every row and decide what importing it would do. Reads only; takes no lock."""
    names = column_names()
    columns: list[str | None] = []
    ignored: list[str] = []
    for header in table.headers:
        name = names.get(_norm(header))
        if name in columns:
            name = None
        columns.append(name)
        if name is None and cell_text(header):
            ignored.append(cell_text(header))
    missing = [n for n in REQUIRED if n not in columns]
    if missing:
        raise FileProblem(
            _(
                "Columns missing: %(missing)s. The first row must name the columns; found: "
                "%(found)s. Check that the first row holds the column names and that the file "
                "is separated by semicolons or commas."
            )
            % {
                "missing": ", ".join(field_label(n) for n in missing),
                "found": ", ".join(cell_text(h) for h in table.headers) or "–",
            },
            code="import_columns",
        )
    present = [c for c in columns if c is not None]
    today = timezone.localdate()
    known = _known_learners(provider)
    courses = _courses(provider) if "course" in present else {}
    enrolled = _active_enrolments(provider) if courses else set()
    seen: dict[tuple, int] = {}
    rows: list[PlannedRow] = []
    for number, cells in enumerate(table.rows, start=2):
        raw = {
            name: cells[i] if i < len(cells) else None
            for i, name in enumerate(columns)
            if name is not None
        }
        rows.append(
            _plan_row(number, raw, present, known=known, courses=courses, today=today, seen=seen)
        )
    for planned in rows:
        if planned.course is not None and planned.kind != "invalid":
            learner_id = planned.learner.pk if planned.learner else None
            if (learner_id, planned.course.pk) not in enrolled:
                planned.changes.append(
                    {
                        "field": "course",
                        "label": field_label("course"),
                        "old": "",
                        "new": str(planned.course),
                        "raw": ["", str(planned.course.pk)],
                    }
                )
                if planned.kind == "unchanged":
                    planned.kind = "changed"
    return Plan(
        rows,
        present,
        ignored,
        encoding=table.encoding,
        delimiter=table.delimiter,
    )


def _known_learners(provider: Organisation) -> dict[tuple, Learner]:
    known: dict[tuple, Learner] = {}
    # restricted records too: a row about such a person must not create a second record
    for learner in Learner.all_objects.filter(provider=provider).only(
        "pk", "restricted_at", *FIELDS
    ):
        for key in natural_keys(
            bamf_number=learner.bamf_number,
            first_name=learner.first_name,
            last_name=learner.last_name,
            dob=learner.date_of_birth,
        ):
            known.setdefault(key, learner)
    return known


def _courses(provider: Organisation) -> dict[str, Course]:
    courses: dict[str, Course] = {}
    for course in Course.objects.filter(provider=provider).select_related("location"):
        courses[str(course.pk)] = course
        if course.bamf_course_number:
            courses[course.bamf_course_number.strip()] = course
    return courses


def _active_enrolments(provider: Organisation) -> set[tuple[int, int]]:
    return set(
        Enrolment.objects.active()
        .filter(Q(learner__provider=provider))
        .values_list("learner_id", "course_id")
    )


def _clean_text(name: str, value: str, errors: list[str]) -> str:
    model_field = Learner._meta.get_field(name)
    limit = getattr(model_field, "max_length", None)
    if limit and len(value) > limit:
        errors.append(
            f"{field_label(name)}: " + _("longer than %(limit)d characters.") % {"limit": limit}
        )
        return value
    for validator in model_field.validators:
        try:
            validator(value)
        except ValidationError as exc:
            errors.extend(f"{field_label(name)}: {m}" for m in exc.messages)
    return value


def _plan_row(
    number: int,
    raw: dict[str, Any],
    present: list[str],
    *,
    known: dict[tuple, Learner],
    courses: dict[str, Course],
    today: dt.date,
    seen: dict[tuple, int],
) -> PlannedRow:
    planned = PlannedRow(number)
    errors = planned.errors
    values: dict[str, Any] = {}

    def fail(name: str, message: str) -> None:
        errors.append(f"{field_label(name)}: {message}")

    for name in present:
        if name in EXTRA:
            continue
        cell = raw.get(name)
        if name == "date_of_birth":
            try:
                born = parse_date(cell, today=today)
            except DateProblem as exc:
                fail(name, exc.message)
                continue
            if born is None:
                fail(name, _("missing."))
            elif problem := birth_date_problem(born, today=today):
                fail(name, f"{born:%d.%m.%Y}: {problem}")
            else:
                values[name] = born
            continue
        text = cell_text(cell)
        if not text:
            if name in REQUIRED:
                fail(name, _("missing."))
            continue
        if name == "gender":
            gender = GENDER_WORDS.get(_norm(text))
            if gender is None:
                fail(name, _("“%(value)s” is not one of w, m, d or x.") % {"value": text})
            else:
                values[name] = gender
        elif name == "phone":
            try:
                values[name] = phone_normalise(text)
            except PhoneError as exc:
                fail(name, _("“%(value)s”: %(problem)s") % {"value": text, "problem": exc.message})
        elif name == "email":
            try:
                validate_email(text)
                values[name] = text
            except ValidationError:
                fail(name, _("“%(value)s” is not an e-mail address.") % {"value": text})
        elif name == "preferred_language":
            code = language_code(text)
            if code is None:
                fail(
                    name,
                    _(
                        "“%(value)s” is no language. Use a two-letter code (ISO 639-1) such as "
                        "de, ar, pl, ti, or the language's name."
                    )
                    % {"value": text},
                )
            elif code in {c for c, _n in settings.LANGUAGES}:
                values[name] = code
            else:
                # a language the pages are not offered in: recorded as the first language
                if not cell_text(raw.get("native_language")):
                    values["native_language"] = language_name(code)
                planned.notes.append(
                    _(
                        "%(language)s: there are no pages in this language yet; recorded as "
                        "first language, pages and mails stay in German."
                    )
                    % {"language": language_name(code, language=translation.get_language() or "de")}
                )
        elif name == "native_language":
            code = language_code(text) if len(text) <= 3 else None
            values[name] = _clean_text(name, language_name(code) if code else text, errors)
        elif name == "nationality":
            if not re.fullmatch(r"[A-Za-z]{2}", text):
                fail(
                    name,
                    _("“%(value)s”: use the two-letter country code such as SY, UA, AF.")
                    % {"value": text},
                )
            else:
                values[name] = text.upper()
        elif name == "bamf_number":
            values[name] = _clean_text(name, text.upper(), errors)
        else:
            values[name] = _clean_text(name, text, errors)
    planned.values = values
    planned.name = ", ".join(
        v for v in (cell_text(raw.get("last_name")), cell_text(raw.get("first_name"))) if v
    )
    course_ref = cell_text(raw.get("course"))
    if course_ref:
        planned.course = courses.get(course_ref)
        if planned.course is None:
            fail(
                "course",
                _("there is no course “%(value)s” at this provider.") % {"value": course_ref},
            )
    module = cell_text(raw.get("module"))
    if module:
        if module.isdigit():
            planned.module = int(module)
        else:
            fail("module", _("must be a number such as 1 or 3."))
    keys = natural_keys(
        bamf_number=values.get("bamf_number", ""),
        first_name=values.get("first_name", ""),
        last_name=values.get("last_name", ""),
        dob=values.get("date_of_birth"),
    )
    if not errors:
        for key in keys:
            if key in seen:
                errors.append(_("The same person is already in row %(row)s.") % {"row": seen[key]})
                break
        for key in keys:
            seen.setdefault(key, number)
    if errors:
        planned.kind = "invalid"
        return planned
    planned.learner = next((known[k] for k in keys if k in known), None)
    if planned.learner is not None and planned.learner.restricted_at is not None:
        planned.learner = None
        planned.errors.append(
            _(
                "This person's record is restricted after an erasure request; it cannot be "
                "imported. Ask the data-protection officer."
            )
        )
        planned.kind = "invalid"
        return planned
    if planned.learner is None:
        planned.kind = "new"
        return planned
    for name in FIELDS:
        if name not in values:
            continue
        old = getattr(planned.learner, name)
        new = values[name]
        if name == "phone" and old:
            with contextlib.suppress(PhoneError):
                old = phone_normalise(old)
        if old != new:
            planned.changes.append(
                {
                    "field": name,
                    "label": field_label(name),
                    "old": display(name, getattr(planned.learner, name)),
                    "new": display(name, new),
                    # what the import compares with the preview: not the words, which
                    # depend on the reader's language
                    "raw": [raw_text(getattr(planned.learner, name)), raw_text(new)],
                }
            )
    planned.kind = "changed" if planned.changes else "unchanged"
    return planned


__all__ = [
    "ISO_639_1",
    "FileProblem",
    "Plan",
    "PlannedRow",
    "Table",
    "parse_date",
    "plan",
    "read_table",
]
