"""Builders for internship tests."""

from __future__ import annotations

import datetime as dt

from internships.services import placement_create


def propose(learner, emp, *, start: dt.date, weeks: int = 2, by=None, **fields):
    fields.setdefault("weekdays", [0, 1, 2, 3, 4])
    fields.setdefault("daily_hours", 6)
    fields.setdefault("type", "orientation")
    return placement_create(
        learner=learner,
        employer=emp,
        by=by,
        start_date=start,
        end_date=start + dt.timedelta(weeks=weeks, days=-3),
        **fields,
    )
