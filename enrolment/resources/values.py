"""Cell values of a learner file: dates as offices write them, natural keys, display text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.languages import language_name
from enrolment.resources.files import _DATE_PATTERNS, DateProblem
from people.models import Learner
from people.resources import cell_text

# --- values ------------------------------------------------------------------------------------


def parse_date(value: Any, *, today: dt.date | None = None) -> dt.date | None:
    """A date from a cell; ``DateProblem`` says whether the format or the date is wrong.

    Two-digit years are read as the latest year not in the future (a birth date)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
        if "yy" in parts:
            today = today or timezone.localdate()
            year = 2000 + parts["yy"]
            parts["y"] = year if year <= today.year else year - 100
        try:
            return dt.date(parts["y"], parts["m"], parts["d"])
        except ValueError as exc:
            raise DateProblem(
                _("“%(value)s” does not exist in the calendar (check day and month).")
                % {"value": text}
            ) from exc
    raise DateProblem(
        _("“%(value)s” is not a date. Write it as DD.MM.YYYY, e.g. 31.01.1990.") % {"value": text}
    )


def natural_keys(*, bamf_number: str, first_name: str, last_name: str, dob) -> list[tuple]:
    keys: list[tuple] = []
    if bamf_number:
        keys.append(("bamf", bamf_number.strip().upper()))
    if first_name and last_name and isinstance(dob, dt.date):
        keys.append(("name", first_name.strip().casefold(), last_name.strip().casefold(), dob))
    return keys


def raw_text(value: Any) -> str:
    if value in (None, ""):
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def display(name: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if name == "gender":
        return str(Learner.Gender(value).label) if value in Learner.Gender.values else value
    if name == "preferred_language":
        return language_name(value, language=translation.get_language() or "de")
    return str(value)
