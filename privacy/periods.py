"""Retention periods: an amount of days, weeks, months or years after an event, optionally
counted from the end of the event's calendar year ("3 years after the end of the test year").

Pure date arithmetic, no database: the job turns a period into a cut-off date (rows whose event
lies before it are due), the erasure check and the pages into the first day a row is due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

#: Periods are compared by what they do to this day (a month is not a fixed number of days).
REFERENCE_DAY = date(2001, 1, 1)


class Unit(models.TextChoices):
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")
    MONTHS = "months", _("months")
    YEARS = "years", _("years")


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str
    from_year_end: bool = False

    def delta(self) -> relativedelta:
        return relativedelta(**{self.unit: self.amount})

    def cutoff(self, today: date) -> date:
        """Rows whose event lies before this day are due on ``today``.

        A period of 5 years after 30.06.2020 ends with 30.06.2025 (§ 188 BGB): the row is due
        from 01.07.2025. Counted from the year end, an event in 2022 with 3 years is due from
        01.01.2026.
        """
        day = today - self.delta()
        return date(day.year, 1, 1) if self.from_year_end else day

    def due_on(self, event: date) -> date:
        """The first day a row whose period runs from ``event`` is due."""
        start = date(event.year, 12, 31) if self.from_year_end else event
        return start + self.delta() + timedelta(days=1)

    def length(self) -> date:
        """A comparable stand-in for the length (the period applied to a fixed day)."""
        return REFERENCE_DAY + self.delta()

    def shorter_than(self, other: Period) -> bool:
        return self.length() < other.length()

    def label(self) -> str:
        n = self.amount
        text = {
            Unit.DAYS: ngettext("%(n)d day", "%(n)d days", n),
            Unit.WEEKS: ngettext("%(n)d week", "%(n)d weeks", n),
            Unit.MONTHS: ngettext("%(n)d month", "%(n)d months", n),
            Unit.YEARS: ngettext("%(n)d year", "%(n)d years", n),
        }[self.unit] % {"n": n}
        return text
