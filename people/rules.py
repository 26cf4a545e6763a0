"""Plausibility of personal data, written once for registration, staff forms, admin and imports."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
#: Integration courses admit learners from 16 (§ 44 AufenthG, IntV); youth courses start there.
MINIMUM_AGE = 16


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birth_date_problem(born: date, *, today: date, minimum_age: int = MINIMUM_AGE) -> str | None:
    """What is wrong with a birth date, in words for the person typing it (None: plausible)."""
    if born > today:
        return _("The date of birth is in the future.")
    if born < EARLIEST_BIRTH_DATE:
        return _("The date of birth is before 1900. Please check the year.")
    if age_on(born, today) < minimum_age:
        return _("Participants must be at least %(age)d years old.") % {"age": minimum_age}
    return None
