"""The day of a volunteer's last activity, as one database expression.

The certificate-of-conduct record is deleted six months after it (``certificate_of_conduct``,
§ 30a BZRG): the retention job uses the expression as the date the period runs from, and
``selectors.volunteer_last_activity`` evaluates the same expression for one volunteer, so the
rule is written once.

The last activity is the latest of: the start and the end of volunteering, a shift the
volunteer was checked in to, a tandem's start or end, a tandem meeting, and a day of hours
entered (not rejected). While a tandem of the volunteer runs, the activity is ongoing: the
expression is NULL, so nothing is due.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, NullIf

#: Stands for "no such day" inside GREATEST (which on SQLite is NULL as soon as one part is).
NEVER = date(1900, 1, 1)


def last_activity(*, volunteer: str = "pk", prefix: str = "") -> models.Expression:
    """The expression for rows whose volunteer is ``OuterRef(volunteer)`` and whose volunteer
    fields are reached by ``prefix`` (``""`` on Volunteer, ``"volunteer__"`` on a row that
    points at one)."""
    from volunteers.models import HoursEntry, ShiftAssignment, Tandem, TandemMeeting

    def latest(qs, field: str):
        return Coalesce(
            Subquery(qs.order_by(f"-{field}").values(field)[:1]),
            Value(NEVER),
            output_field=models.DateField(),
        )

    ref = OuterRef(volunteer)
    tandems = Tandem.objects.filter(volunteer=ref)
    days = [
        Coalesce(f"{prefix}start_date", Value(NEVER), output_field=models.DateField()),
        Coalesce(f"{prefix}ended_on", Value(NEVER), output_field=models.DateField()),
        latest(
            ShiftAssignment.objects.filter(volunteer=ref, checked_in_at__isnull=False),
            "shift__session__date",
        ),
        latest(tandems.filter(started_on__isnull=False), "started_on"),
        latest(tandems.filter(ended_on__isnull=False), "ended_on"),
        latest(TandemMeeting.objects.filter(tandem__volunteer=ref), "date"),
        latest(HoursEntry.objects.exclude(status="rejected").filter(volunteer=ref), "date"),
    ]
    running = tandems.filter(Q(status="active") & Q(consent_withdrawn_at__isnull=True))
    return Case(
        When(Exists(running), then=Value(None, output_field=models.DateField())),
        default=NullIf(Greatest(*days, output_field=models.DateField()), Value(NEVER)),
        output_field=models.DateField(),
    )


def conduct_check_anchor() -> models.Expression:
    """For ``ConductCheck``: its volunteer's last activity."""
    return last_activity(volunteer="volunteer", prefix="volunteer__")
