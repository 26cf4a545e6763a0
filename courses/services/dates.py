"""Facts about days and times that course planning reads: public holidays by German state and the
time of day a start time falls in (volunteers' activities read them too)."""

from __future__ import annotations

from datetime import date, time
from functools import lru_cache

from people.models import TimeOfDay


@lru_cache(maxsize=64)
def public_holidays(state: str, year: int) -> frozenset[date]:
    """Public holidays of a German state in one year, from the ``holidays`` package (imported
    here: its tables take 7 MiB that a web worker only needs when sessions are generated)."""
    import holidays

    return frozenset(holidays.country_holidays("DE", subdiv=state, years=year).keys())


def is_public_holiday(day: date, state: str) -> bool:
    return day in public_holidays(state, day.year)


def time_of_day_for(start: time) -> str:
    if start < time(12, 0):
        return TimeOfDay.MORNING
    if start < time(17, 0):
        return TimeOfDay.AFTERNOON
    return TimeOfDay.EVENING
