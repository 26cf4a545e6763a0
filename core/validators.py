"""Field validators shared by every app (model fields carry them, so forms, admin and the API
refuse the same values with the same message)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@deconstructible
class DateInRange:
    """A date between two years (a course starting in 9999 is a typing error, and would
    overflow the timetable planning)."""

    def __init__(self, first_year: int = 2000, last_year: int = 2100):
        self.first_year, self.last_year = first_year, last_year

    def __call__(self, value: date) -> None:
        if value is not None and not self.first_year <= value.year <= self.last_year:
            raise ValidationError(
                _("Enter a date between %(first)s and %(last)s.")
                % {"first": self.first_year, "last": self.last_year},
                code="date_out_of_range",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateInRange) and (self.first_year, self.last_year) == (
            other.first_year,
            other.last_year,
        )


#: Characters that reorder text: a name with U+202E shows "Ali" to the eye while stored as "ilA"
#: and lets one learner pose as another. Refused in names and titles.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)


def no_bidi_controls(value: str) -> None:
    if value and any(char in BIDI_CONTROLS for char in value):
        raise ValidationError(
            _("Remove the invisible direction characters from this text."), code="bidi_control"
        )


def text_within(value: str, *, limit: int) -> str | None:
    """The message for text longer than ``limit`` (refused, never cut silently), or None."""
    if len(value) > limit:
        return str(
            _("Shorten this text to at most %(limit)d characters (it has %(count)d).")
            % {"limit": limit, "count": len(value)}
        )
    return None
