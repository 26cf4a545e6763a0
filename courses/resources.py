"""Import and export of courses (django-import-export).

File format (CSV or XLSX, first row = column names):

==================  ========  ===============================================================
column              required  meaning
==================  ========  ===============================================================
provider            no        provider name or short name (see ``people.resources``)
bamf_course_number  yes       the BAMF course number: the key inside the provider, so the
                              same file imported again changes nothing
course_type         yes       course type code: general, literacy, intensive, bsk_b2, bsk_c1,
                              job_bsk, … (or the type's name)
location            yes       the name of one of the provider's locations
start_date          yes       02.03.2026 or 2026-03-02 (XLSX date cells work too)
timetable           yes       weekly slots, see below
capacity            no        seats; default and maximum: the course type's group size
status              no        planned, open, running, completed, cancelled (or in German:
                              geplant, offen, läuft, abgeschlossen, abgesagt); default planned
title               no        a title for the catalogue
first_module        no        number of the Kursabschnitt the course starts with (default 1)
format              no        in_person, online, hybrid (or Präsenz); default in_person
childcare           no        ja/nein
==================  ========  ===============================================================

**Timetable**: one or more groups separated by ``;``. A group is
``<days> <start>-<end> <n>UE``: days as German (Mo Di Mi Do Fr Sa So) or English (Mo Tu We Th
Fr Sa Su) abbreviations, a range ``Mo-Fr`` or a list ``Mo,Mi,Fr`` (``Mo-Mi,Fr`` works too);
times as ``HH:MM``; ``n`` the teaching units per day. Examples: ``Mo-Fr 08:30-12:45 5UE``,
``Di,Do 18:00-21:15 4UE; Sa 09:00-12:15 4UE``.

New courses are created through ``courses.services.course_create`` and existing ones changed
through ``course_update``, so the same rules apply as everywhere (location of the provider,
capacity within the course type's group size, sessions planned from the timetable, start and
timetable fixed once a course has started). Course type and first module of an existing course
cannot change.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from import_export import fields

from core.errors import DomainError
from courses.models import Course, CourseType
from courses.services import course_create, course_update
from people.models import Location
from people.resources import (
    ProviderResource,
    cell_text,
    choice_lookup,
    parse_bool,
    parse_date,
    yes_no,
)

DAY_NAMES = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
DAY_ALIASES = {
    **{name.lower(): i for i, name in enumerate(DAY_NAMES)},
    **{name: i for i, name in enumerate(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])},
    **{name: i for i, name in enumerate(["mo", "tu", "we", "th", "fr", "sa", "su"])},
    "die": 1,
    "mit": 2,
    "don": 3,
    "fre": 4,
    "sam": 5,
    "son": 6,
}
GROUP_RE = re.compile(
    r"^(?P<days>[A-Za-z,\-\s]+?)\s+(?P<start>\d{1,2}[:.]\d{2})\s*[-–]\s*(?P<end>\d{1,2}[:.]\d{2})"
    r"\s+(?P<ue>\d{1,2})\s*UE$",
    re.IGNORECASE,
)


def _day(text: str) -> int:
    day = DAY_ALIASES.get(text.strip().lower())
    if day is None:
        raise ValueError(
            _("“%(day)s” is not a weekday (write Mo, Di, Mi, Do, Fr, Sa or So).") % {"day": text}
        )
    return day


def _time(text: str) -> time:
    hours, minutes = re.split(r"[:.]", text)
    try:
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(_("“%(time)s” is not a time of day.") % {"time": text}) from None


def parse_timetable(text: Any) -> list[dict]:
    """``"Mo-Fr 08:30-12:45 5UE"`` → one slot dict per weekday (see the module docstring)."""
    text = cell_text(text)
    if not text:
        raise ValueError(_("The timetable is missing (for example: Mo-Fr 08:30-12:45 5UE)."))
    slots: dict[tuple[int, time], dict] = {}
    for group in filter(None, (g.strip() for g in re.split(r"[;\n]", text))):
        match = GROUP_RE.match(group)
        if not match:
            raise ValueError(
                _("“%(group)s” is not a timetable entry; write it like Mo-Fr 08:30-12:45 5UE.")
                % {"group": group}
            )
        days: list[int] = []
        for part in match["days"].split(","):
            if "-" in part:
                first, last = (_day(p) for p in part.split("-", 1))
                if last < first:
                    raise ValueError(_("The day range “%(part)s” runs backwards.") % {"part": part})
                days.extend(range(first, last + 1))
            else:
                days.append(_day(part))
        start, end, ue = _time(match["start"]), _time(match["end"]), int(match["ue"])
        if end <= start:
            raise ValueError(_("In “%(group)s” the end is not after the start.") % {"group": group})
        if not 1 <= ue <= 10:
            raise ValueError(_("A day has between 1 and 10 UE, not %(ue)s.") % {"ue": ue})
        for day in days:
            if (day, start) in slots:
                raise ValueError(_("“%(group)s” repeats a slot.") % {"group": group})
            slots[(day, start)] = {"weekday": day, "start_time": start, "end_time": end, "ue": ue}
    return [slots[key] for key in sorted(slots)]


def _days_text(days: list[int]) -> str:
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAY_NAMES[run[0]]}-{DAY_NAMES[run[-1]]}")
        else:
            parts.extend(DAY_NAMES[d] for d in run)
    return ",".join(parts)


def format_timetable(slots) -> str:
    """The inverse of ``parse_timetable``: ``"Mo-Fr 08:30-12:45 5UE"``."""
    groups: dict[tuple[time, time, int], list[int]] = {}
    for slot in slots:
        get = slot.get if isinstance(slot, dict) else lambda k, s=slot: getattr(s, k)
        key = (get("start_time"), get("end_time"), get("ue"))
        groups.setdefault(key, []).append(get("weekday"))
    ordered = sorted(groups.items(), key=lambda item: (min(item[1]), item[0][0]))
    return "; ".join(
        f"{_days_text(days)} {start:%H:%M}-{end:%H:%M} {ue}UE" for (start, end, ue), days in ordered
    )


def _slot_key(slots) -> list[tuple]:
    return sorted(
        (s["weekday"], s["start_time"], s["end_time"], s["ue"])
        if isinstance(s, dict)
        else (s.weekday, s.start_time, s.end_time, s.ue)
        for s in slots
    )


def domain_to_validation_error(error: Exception, columns: dict[str, str]) -> ValidationError:
    """A service's DomainError (or a model ValidationError) as a row error under its column."""
    if isinstance(error, DomainError):
        column = columns.get(error.field or "", NON_FIELD_ERRORS)
        return ValidationError({column: [error.message]})
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return ValidationError(
            {columns.get(k, NON_FIELD_ERRORS): v for k, v in error.message_dict.items()}
        )
    return ValidationError({NON_FIELD_ERRORS: [str(error)]})


# Service field names → the file's column names.
COLUMNS = {
    "location": "location",
    "capacity": "capacity",
    "first_module": "first_module",
    "timetable": "timetable",
    "slots": "timetable",
    "start_date": "start_date",
    "status": "status",
    "title": "title",
    "format": "format",
    "childcare": "childcare",
    "bamf_course_number": "bamf_course_number",
    "teachers": NON_FIELD_ERRORS,
}
# German words staff write in spreadsheets, whatever the catalogues translate.
STATUS_WORDS = {
    "geplant": Course.Status.PLANNED,
    "in planung": Course.Status.PLANNED,
    "offen": Course.Status.OPEN,
    "anmeldung offen": Course.Status.OPEN,
    "offen für anmeldungen": Course.Status.OPEN,
    "läuft": Course.Status.RUNNING,
    "laufend": Course.Status.RUNNING,
    "abgeschlossen": Course.Status.COMPLETED,
    "beendet": Course.Status.COMPLETED,
    "abgesagt": Course.Status.CANCELLED,
    "storniert": Course.Status.CANCELLED,
}
FORMAT_WORDS = {
    "präsenz": Course.Format.IN_PERSON,
    "vor ort": Course.Format.IN_PERSON,
    "präsenzkurs": Course.Format.IN_PERSON,
    "online": Course.Format.ONLINE,
    "hybrid": Course.Format.HYBRID,
}
SIMPLE_FIELDS = ("title", "capacity", "status", "format", "childcare", "location", "start_date")


class CourseResource(ProviderResource):
    provider = fields.Field(column_name="provider", readonly=True)
    course_type = fields.Field(column_name="course_type", readonly=True)
    location = fields.Field(column_name="location", readonly=True)
    timetable = fields.Field(column_name="timetable", readonly=True)
    first_module = fields.Field(column_name="first_module", readonly=True)

    class Meta:
        model = Course
        fields = (
            "provider",
            "bamf_course_number",
            "course_type",
            "location",
            "start_date",
            "timetable",
            "capacity",
            "status",
            "title",
            "first_module",
            "format",
            "childcare",
            "end_date",
        )
        export_order = fields
        import_id_fields = ("bamf_course_number",)
        clean_model_instances = False  # the services check the rules

    def get_queryset(self) -> QuerySet[Course]:
        return Course.objects.select_related(
            "provider", "location", "course_type", "first_module"
        ).prefetch_related("timetable")

    def get_user_visible_fields(self):
        return [f for f in super().get_user_visible_fields() if f.column_name != "end_date"]

    def key_filter(self, row) -> Q | None:
        number = cell_text(row.get("bamf_course_number"))
        return Q(bamf_course_number=number) if number else None

    # -- export --------------------------------------------------------------------------------
    def dehydrate_provider(self, obj: Course) -> str:
        return obj.provider.name if obj.provider_id else ""

    def dehydrate_course_type(self, obj: Course) -> str:
        return obj.course_type.code if obj.course_type_id else ""

    def dehydrate_location(self, obj: Course) -> str:
        return obj.location.name if obj.location_id else ""

    def dehydrate_timetable(self, obj: Course) -> str:
        return format_timetable(obj.timetable.all()) if obj.pk else ""

    def dehydrate_first_module(self, obj: Course) -> int | str:
        return obj.first_module.order if obj.first_module_id else ""

    def dehydrate_childcare(self, obj: Course) -> str:
        return yes_no(obj.childcare)

    # -- import --------------------------------------------------------------------------------
    def import_instance(self, instance: Course, row, **kwargs) -> None:
        """Parse the row into the service's arguments; every problem is filed under its column."""
        errors: dict[str, list[str]] = {}
        provider = self.collect(errors, "provider", self.provider_for_row, row)
        values: dict[str, Any] = {}

        number = cell_text(row.get("bamf_course_number"))
        if not number:
            errors.setdefault("bamf_course_number", []).append(
                _("The BAMF course number is missing; it identifies the course.")
            )
        elif len(number) > 30:
            errors.setdefault("bamf_course_number", []).append(
                _("The BAMF course number has at most 30 characters.")
            )

        course_type = None
        type_code = cell_text(row.get("course_type"))
        if not type_code:
            errors.setdefault("course_type", []).append(_("The course type is missing."))
        else:
            course_type = (
                CourseType.objects.current()
                .filter(Q(code__iexact=type_code) | Q(name__iexact=type_code))
                .first()
            )
            if course_type is None:
                errors.setdefault("course_type", []).append(
                    _("“%(value)s” is not a course type (for example general, literacy, bsk_b2).")
                    % {"value": type_code}
                )

        location_name = cell_text(row.get("location"))
        if not location_name:
            errors.setdefault("location", []).append(_("The location is missing."))
        elif provider is not None:
            location = Location.objects.filter(
                organisation=provider, name__iexact=location_name
            ).first()
            if location is None:
                errors.setdefault("location", []).append(
                    _("Your provider has no location named “%(value)s”.") % {"value": location_name}
                )
            values["location"] = location

        if cell_text(row.get("start_date")):
            values["start_date"] = self.collect(
                errors, "start_date", parse_date, row.get("start_date")
            )
        else:
            errors.setdefault("start_date", []).append(_("The start date is missing."))
        slots = self.collect(errors, "timetable", parse_timetable, row.get("timetable"))

        capacity_text = cell_text(row.get("capacity"))
        if capacity_text:
            try:
                values["capacity"] = int(capacity_text)
                if values["capacity"] < 1:
                    raise ValueError
            except ValueError:
                errors.setdefault("capacity", []).append(
                    _("“%(value)s” is not a number of seats.") % {"value": capacity_text}
                )
        for column, choices, words in (
            ("status", Course.Status.choices, STATUS_WORDS),
            ("format", Course.Format.choices, FORMAT_WORDS),
        ):
            text = cell_text(row.get(column))
            if text:
                code = {**words, **choice_lookup(choices)}.get(text.lower())
                if code is None:
                    errors.setdefault(column, []).append(
                        _("“%(value)s” is not one of: %(choices)s.")
                        % {"value": text, "choices": ", ".join(c for c, _l in choices)}
                    )
                values[column] = code
        if "title" in row:
            values["title"] = cell_text(row.get("title"))[:200]
        if cell_text(row.get("childcare")):
            values["childcare"] = self.collect(
                errors, "childcare", parse_bool, row.get("childcare")
            )

        first_module = None
        order_text = cell_text(row.get("first_module"))
        if course_type is not None:
            order = 1
            if order_text:
                try:
                    order = int(order_text)
                except ValueError:
                    order = -1
            first_module = course_type.modules.filter(order=order).first()
            if first_module is None:
                errors.setdefault("first_module", []).append(
                    _("The course type has no Kursabschnitt number “%(value)s”.")
                    % {"value": order_text}
                )

        if instance.pk is not None and course_type is not None and first_module is not None:
            if course_type.code != instance.course_type.code:
                errors.setdefault("course_type", []).append(
                    _("The course type of an existing course cannot change.")
                )
            elif order_text and first_module.order != instance.first_module.order:
                errors.setdefault("first_module", []).append(
                    _("The first module of an existing course cannot change.")
                )
        if errors:
            instance._import_changes = True
            raise ValidationError(errors)

        if instance.pk is None:
            instance._import_create = {
                "provider": provider,
                "course_type": course_type,
                "first_module": first_module,
                "slots": slots,
                "bamf_course_number": number,
                **values,
            }
            instance._import_changes = True
            return
        changes = {
            k: v for k, v in values.items() if k in SIMPLE_FIELDS and getattr(instance, k) != v
        }
        if _slot_key(slots) != _slot_key(instance.timetable.all()):
            changes["slots"] = slots
        instance._import_update = changes
        instance._import_changes = bool(changes)

    def do_instance_save(self, instance: Course, is_create: bool) -> None:
        """Create through ``course_create`` or change through ``course_update``."""
        try:
            if is_create:
                data = dict(instance._import_create)
                course = course_create(
                    provider=data.pop("provider"),
                    location=data.pop("location"),
                    course_type=data.pop("course_type"),
                    start_date=data.pop("start_date"),
                    slots=data.pop("slots"),
                    first_module=data.pop("first_module"),
                    capacity=data.pop("capacity", None),
                    by=self.user,
                    **data,
                )
            else:
                course = course_update(course=instance, by=self.user, **instance._import_update)
        except (DomainError, ValidationError) as error:
            raise domain_to_validation_error(error, COLUMNS) from error
        instance.pk = course.pk
        instance.refresh_from_db()
        instance._state.adding = False
        # Forget the prefetched timetable so the preview shows the new one.
        getattr(instance, "_prefetched_objects_cache", {}).pop("timetable", None)
