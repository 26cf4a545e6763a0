"""Learner import (CSV/XLSX) with django-import-export: plain-word row errors, natural keys.

A row is the same person as an existing learner of the provider when the BAMF participant number
matches, or else first name, last name and birth date match; importing a file again therefore
updates those learners instead of creating duplicates. Optional columns ``course`` (BAMF course
number or id) and ``module`` (number) enrol the learner through ``enrolment_create``.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from courses.models import Course
from people.models import Learner
from people.rules import birth_date_problem

DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


class LenientDateWidget(widgets.Widget):
    """Keeps the raw text when it is no date, so validation can say so in plain words."""

    def clean(self, value, row=None, **kwargs):
        try:
            return parse_date(value)
        except ValueError:
            return str(value)

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d.%m.%Y") if isinstance(value, dt.date) else (value or "")


def natural_keys(*, bamf_number: str, first_name: str, last_name: str, dob) -> list[tuple]:
    keys = []
    if bamf_number:
        keys.append(("bamf", bamf_number.strip().upper()))
    if first_name and last_name and isinstance(dob, dt.date):
        keys.append(("name", first_name.strip().casefold(), last_name.strip().casefold(), dob))
    return keys


class LearnerResource(resources.ModelResource):
    date_of_birth = fields.Field(
        attribute="date_of_birth", column_name="date_of_birth", widget=LenientDateWidget()
    )
    course = fields.Field(column_name="course", readonly=True)
    module = fields.Field(column_name="module", readonly=True)

    class Meta:
        model = Learner
        fields = (
            "first_name",
            "last_name",
            "date_of_birth",
            "gender",
            "phone",
            "email",
            "preferred_language",
            "bamf_number",
            "street",
            "postcode",
            "town",
            "nationality",
            "native_language",
            "course",
            "module",
        )
        import_id_fields = ()
        use_bulk = True
        batch_size = 1000
        skip_diff = True
        clean_model_instances = False
        use_transactions = True
        store_instance = True

    def __init__(self, *, provider, by=None):
        super().__init__()
        self.provider = provider
        self.by = by
        self.enrol_requests: list[tuple[Learner, Course, int | None]] = []

    # --- natural keys ----------------------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        self.known: dict[tuple, Learner] = {}
        self.seen: dict[tuple, int] = {}
        self.enrol_requests = []
        self.today = dt.date.today()
        self.snapshot: dict = {}
        self.import_names: list[str] = []
        for learner in Learner.objects.filter(provider=self.provider):
            for key in natural_keys(
                bamf_number=learner.bamf_number,
                first_name=learner.first_name,
                last_name=learner.last_name,
                dob=learner.date_of_birth,
            ):
                self.known.setdefault(key, learner)
        self.courses: dict[str, Course] = {}
        for course in Course.objects.filter(provider=self.provider).select_related("course_type"):
            self.courses[str(course.pk)] = course
            if course.bamf_course_number:
                self.courses[course.bamf_course_number.strip()] = course
        # header names are forgiving: "Date of birth" → date_of_birth
        if dataset.headers:
            dataset.headers = [
                re.sub(r"\W+", "_", str(h or "").strip().lower()) for h in dataset.headers
            ]
            headers = set(dataset.headers)
            self.import_names = [
                f.attribute
                for f in self.fields.values()
                if f.attribute and not f.readonly and f.column_name in headers
            ]

    def _keys(self, row) -> list[tuple]:
        try:
            dob = parse_date(row.get("date_of_birth"))
        except ValueError:
            dob = None
        return natural_keys(
            bamf_number=str(row.get("bamf_number") or ""),
            first_name=str(row.get("first_name") or ""),
            last_name=str(row.get("last_name") or ""),
            dob=dob,
        )

    def get_instance(self, instance_loader, row):
        for key in self._row_keys:
            if key in self.known:
                learner = self.known[key]
                self.snapshot = {n: getattr(learner, n) for n in self.import_names}
                return learner
        return None

    def init_instance(self, row=None):
        return Learner(provider=self.provider, registered_on=self.today)

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """A dry run validates every row already; writing and rolling back would only cost time."""
        if dry_run:
            self.create_instances = []
            return
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if dry_run:
            self.update_instances = []
            return
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Validate first (a skipped row is still checked), then skip rows that change nothing."""
        self.validate_instance(instance, import_validation_errors)
        if instance.pk is None:
            return False
        return all(getattr(instance, n) == self.snapshot.get(n) for n in self.import_names)

    # --- validation in plain words -----------------------------------------------------------

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if getattr(self, "_validated_row", None) == self._row_number:
            return  # already checked in skip_row
        self._validated_row = self._row_number
        errors = dict(import_validation_errors or {})
        row = self._current_row
        for name, label in (("first_name", _("first name")), ("last_name", _("last name"))):
            if not str(getattr(instance, name) or "").strip():
                errors[name] = _("The %(field)s is missing.") % {"field": label}
        dob = instance.date_of_birth
        if not dob:
            errors["date_of_birth"] = _("The date of birth is missing.")
        elif not isinstance(dob, dt.date):
            errors["date_of_birth"] = _(
                "“%(value)s” is not a date. Write it as DD.MM.YYYY, e.g. 31.01.1990."
            ) % {"value": dob}
        elif problem := birth_date_problem(dob, today=timezone.localdate()):
            errors["date_of_birth"] = f"{dob:%d.%m.%Y}: {problem}"
        if instance.email:
            try:
                validate_email(instance.email)
            except ValidationError:
                errors["email"] = _("“%(value)s” is not an e-mail address.") % {
                    "value": instance.email
                }
        if not instance.preferred_language:
            instance.preferred_language = "de"
        elif instance.preferred_language not in LANGUAGES:
            errors["preferred_language"] = _(
                "Unknown language “%(value)s”. Use a code such as de, ar, uk, fa, tr."
            ) % {"value": instance.preferred_language}
        if instance.gender and instance.gender not in Learner.Gender.values:
            errors["gender"] = _("Gender must be one of f, m, d or x.")
        elif not instance.gender:
            instance.gender = Learner.Gender.UNSPECIFIED
        course_ref = str(row.get("course") or "").strip()
        if course_ref and course_ref not in self.courses:
            errors["course"] = _("There is no course “%(value)s” at this provider.") % {
                "value": course_ref
            }
        module = str(row.get("module") or "").strip()
        if module and not module.isdigit():
            errors["module"] = _("The module must be a number such as 1 or 3.")
        if not errors:
            keys = self._row_keys
            for key in keys:
                if key in self.seen:
                    errors["last_name"] = _("The same person is already in row %(row)s.") % {
                        "row": self.seen[key]
                    }
                    break
            for key in keys:
                self.seen.setdefault(key, self._row_number)
        if errors:
            raise ValidationError(errors)

    def import_row(self, row, instance_loader, **kwargs):
        self._current_row = row
        self._row_number = kwargs.get("row_number", 0) + 1  # header is line 1
        self._row_keys = self._keys(row)
        for name, value in row.items():
            if value is None:
                row[name] = ""
        result = super().import_row(row, instance_loader, **kwargs)
        if result.instance is not None and not result.validation_error and not result.errors:
            course_ref = str(row.get("course") or "").strip()
            if course_ref:
                module = str(row.get("module") or "").strip()
                self.enrol_requests.append(
                    (result.instance, self.courses[course_ref], int(module) if module else None)
                )
        return result

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        from enrolment.services import enrolment_create

        for learner, course, module_order in self.enrol_requests:
            module = None
            if module_order:
                module = next(
                    (m for m in course.modules_to_teach() if m.order == module_order), None
                )
            enrolment_create(course=course, learner=learner, module=module, by=self.by)


def row_problems(result) -> list[dict]:
    """Row-level problems of an import result, in plain words: ``[{"row", "messages"}]``."""
    problems = []
    for invalid in result.invalid_rows:
        messages = []
        for name, errs in invalid.error_dict.items():
            label = name.replace("_", " ")
            for err in errs:
                text = err.message if hasattr(err, "message") else str(err)
                if getattr(err, "params", None):
                    text = text % err.params
                messages.append(f"{label}: {text}")
        problems.append({"row": invalid.number + 1, "messages": messages})
    for number, errors in result.row_errors():
        problems.append({"row": number + 1, "messages": [str(e.error) for e in errors]})
    return sorted(problems, key=lambda p: p["row"])
