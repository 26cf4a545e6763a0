"""Reads of the staff dashboard: each panel is a fixed number of queries, whatever the data size.

Panels return plain dicts/lists (``values()`` rows), never model instances row by row. With
``personal=False`` (the network view) no panel returns a learner's name or id: only counts,
days and course/location labels.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import Course
from enrolment.models import Enrolment
from enrolment.selectors import HELD_STATUSES
from internships.models import Placement
from people.models import TimeOfDay
from reports.access import Scope

SOON_DAYS = 28
UPCOMING = (Course.Status.PLANNED, Course.Status.OPEN)
NOT_ENDED = (Course.Status.PLANNED, Course.Status.OPEN, Course.Status.RUNNING)
WAITING = (Enrolment.Status.APPLIED, Enrolment.Status.WAITLISTED, Enrolment.Status.OFFERED)
LIST_LIMIT = 8


def _by_provider(rows, key="provider_id", value="n") -> dict[int, int]:
    return {r[key]: r[value] or 0 for r in rows}


def _course_label(row: Mapping[str, Any], prefix: str = "") -> str:
    """``str(Course)`` from a values() row (see ``course_label_fields``)."""
    name = row.get(f"{prefix}title") or row.get(f"{prefix}course_type__name")
    parts = [
        str(name),
        f"{row.get(f'{prefix}location__name')}, {row.get(f'{prefix}location__town')}",
        f"{row.get(f'{prefix}start_date'):%d.%m.%Y}",
    ]
    time_of_day = row.get(f"{prefix}time_of_day")
    if time_of_day:
        parts.append(str(TimeOfDay(time_of_day).label))
    return " · ".join(parts)


def courses_starting_soon(*, provider_ids, today: dt.date, days: int = SOON_DAYS) -> dict:
    """Planned or open courses starting within ``days``, with seats held and free.

    Seats held are enrolments plus open offers (``enrolment.selectors.HELD_STATUSES``: an offer
    keeps its seat). Two queries: the first courses (listed) and the count per provider.
    """
    qs = Course.objects.filter(
        provider_id__in=provider_ids,
        status__in=UPCOMING,
        start_date__gte=today,
        start_date__lte=today + dt.timedelta(days=days),
    )
    held = (
        Enrolment.objects.filter(course=OuterRef("pk"), status__in=HELD_STATUSES)
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = list(
        qs.annotate(held=Coalesce(Subquery(held, output_field=IntegerField()), Value(0)))
        .order_by("start_date", "pk")
        .values(
            "pk",
            "title",
            "provider__name",
            "course_type__name",
            "location__name",
            "location__town",
            "time_of_day",
            "start_date",
            "capacity",
            "held",
        )[:LIST_LIMIT]
    )
    rows = [
        {
            **row,
            "label": _course_label(row),
            "days": (row["start_date"] - today).days,
            "free": max(row["capacity"] - row["held"], 0),
        }
        for row in found
    ]
    by_provider = _by_provider(
        qs.values("provider_id").annotate(n=Count("pk")).order_by().values("provider_id", "n")
    )
    return {"rows": rows, "count": sum(by_provider.values()), "by_provider": by_provider}


def free_seats_by_location(*, provider_ids) -> dict:
    """Capacity, seats held (enrolled + open offers) and free seats of courses not yet ended,
    per location.

    One grouped query over the courses' capacity and their seat count (``seats_held``, kept by
    the enrolment services).
    """
    courses = Course.objects.language_courses().filter(
        provider_id__in=provider_ids, status__in=NOT_ENDED
    )
    capacity = list(
        courses.values("location_id", "location__name", "location__town", "provider_id")
        .annotate(capacity=Sum("capacity"), held=Sum("seats_held"), courses=Count("pk"))
        .order_by("location__town", "location__name")
    )
    by_provider: dict[int, int] = defaultdict(int)
    for row in capacity:
        row["free"] = max(row["capacity"] - row["held"], 0)
        by_provider[row["provider_id"]] += row["free"]
    return {
        "rows": capacity,
        "count": sum(r["free"] for r in capacity),
        "by_provider": dict(by_provider),
    }


def waiting_list(*, provider_ids, today: dt.date, personal: bool = True) -> dict:
    """Waiting-list length (per provider) and the longest waits (oldest waiting entries).

    Three queries. With ``personal=False`` the rows carry only course and days waited.
    """
    now = timezone.now()
    qs = Enrolment.objects.filter(
        course__provider_id__in=provider_ids, status=Enrolment.Status.WAITLISTED
    )
    fields = [
        "created_at",
        "course__title",
        "course__course_type__name",
        "course__location__town",
        "course__location__name",
        "course__time_of_day",
        "course__start_date",
        "course__provider__name",
    ]
    if personal:
        fields += ["learner_id", "learner__first_name", "learner__last_name"]
    rows = list(qs.order_by("created_at", "pk").values(*fields)[:LIST_LIMIT])
    for row in rows:
        row["label"] = _course_label(row, "course__")
        row["days"] = (now - row["created_at"]).days
        if personal:
            row["name"] = f"{row['learner__last_name']}, {row['learner__first_name']}"
    grouped = list(
        qs.values("course__provider_id")
        .annotate(n=Count("pk"), oldest=Min("created_at"))
        .order_by()
    )
    by_provider = {r["course__provider_id"]: r["n"] for r in grouped}
    longest = {r["course__provider_id"]: (now - r["oldest"]).days for r in grouped}
    learners = qs.values("learner_id").distinct().count()
    return {
        "rows": rows,
        "count": sum(by_provider.values()),
        "learners": learners,
        "by_provider": by_provider,
        "longest_by_provider": longest,
    }


def past_start_limit(*, provider_ids, today: dt.date, personal: bool = True) -> dict:
    """Learners past their programme's start limit (6 weeks integration course, 4 weeks BSK),
    as ``enrolment.selectors.start_watch`` finds them (the one place that rule is written)."""
    from enrolment.selectors import start_watch

    found = start_watch(provider_ids=list(provider_ids), today=today)
    by_provider: dict[int, int] = defaultdict(int)
    rows: list[dict[str, Any]] = []
    for row in found:
        by_provider[row.learner.provider_id] += 1
        weeks = row.programme.start_deadline_weeks
        rows.append(
            {
                "provider_id": row.learner.provider_id,
                "registered_on": row.registered_on,
                "deadline": row.registered_on + dt.timedelta(weeks=weeks),
                "weeks": weeks,
                "days_over": (today - row.registered_on).days - 7 * weeks,
                "programme": str(row.programme),
                **({"name": str(row.learner), "learner_id": row.learner.pk} if personal else {}),
            }
        )
    rows.sort(key=lambda r: -r["days_over"])
    return {"rows": rows[:LIST_LIMIT], "count": len(rows), "by_provider": dict(by_provider)}


def attendance_alerts(*, provider_ids, personal: bool = True) -> dict:
    """Open attendance alerts (``attendance.selectors.open_alerts``) as incidents: one per
    learner, course and incident, however many rules raised it (rules per programme and
    authority often overlap). Count per provider, and the newest incidents with learner and
    course for staff. Two queries."""
    from attendance.selectors import open_alerts

    qs = open_alerts(provider_ids=list(provider_ids))
    incidents = (
        qs.order_by()
        .values(
            "enrolment__course__provider_id",
            "enrolment__learner_id",
            "enrolment__course_id",
            "incident_key",
        )
        .distinct()
    )
    by_provider: dict[int, int] = defaultdict(int)
    for row in incidents:
        by_provider[row["enrolment__course__provider_id"]] += 1
    rows: list[dict[str, Any]] = []
    if personal:
        merged: dict[tuple, dict[str, Any]] = {}
        for alert in qs.values(
            "raised_at",
            "incident_key",
            "rule__name",
            "enrolment__learner_id",
            "enrolment__course_id",
            "enrolment__learner__first_name",
            "enrolment__learner__last_name",
            "enrolment__course__title",
            "enrolment__course__course_type__name",
            "enrolment__course__location__town",
            "enrolment__course__location__name",
            "enrolment__course__time_of_day",
            "enrolment__course__start_date",
        )[: LIST_LIMIT * 10]:
            key = (
                alert["enrolment__learner_id"],
                alert["enrolment__course_id"],
                alert["incident_key"],
            )
            line = merged.get(key)
            if line is None:
                if len(merged) == LIST_LIMIT:
                    continue
                line = merged[key] = {
                    **alert,
                    "rules": [],
                    "label": _course_label(alert, "enrolment__course__"),
                    "name": (
                        f"{alert['enrolment__learner__last_name']}, "
                        f"{alert['enrolment__learner__first_name']}"
                    ),
                }
            if alert["rule__name"] not in line["rules"]:
                line["rules"].append(alert["rule__name"])
            line["raised_at"] = min(line["raised_at"], alert["raised_at"])
        rows = list(merged.values())
        for line in rows:
            line["rule__name"] = ", ".join(line["rules"])
    return {"rows": rows, "count": sum(by_provider.values()), "by_provider": dict(by_provider)}


def days_not_signed(*, provider_ids, today: dt.date) -> dict:
    """Past course days (up to yesterday) no teacher has signed yet
    (``attendance.selectors.unsigned_days``), per course and per provider. Two queries."""
    from attendance.selectors import unsigned_days

    qs = unsigned_days(provider_ids=list(provider_ids), until=today - dt.timedelta(days=1))
    found = list(
        qs.order_by()
        .values(
            "course_id",
            "course__title",
            "course__course_type__name",
            "course__location__town",
            "course__location__name",
            "course__time_of_day",
            "course__start_date",
        )
        .annotate(days=Count("pk"), first=Min("date"))
        .order_by("-days", "course_id")[:LIST_LIMIT]
    )
    rows = [{**row, "label": _course_label(row, "course__")} for row in found]
    by_provider = _by_provider(
        qs.order_by()
        .values("course__provider_id")
        .annotate(n=Count("pk"))
        .values("course__provider_id", "n"),
        key="course__provider_id",
    )
    return {"rows": rows, "count": sum(by_provider.values()), "by_provider": by_provider}


def internships_running(*, provider_ids, today: dt.date, personal: bool = True) -> dict:
    """Placements running today (status running, or agreed and inside their dates)."""
    qs = Placement.objects.filter(learner__provider_id__in=provider_ids).filter(
        Q(status=Placement.Status.RUNNING)
        | Q(status=Placement.Status.AGREED, start_date__lte=today, end_date__gte=today)
    )
    fields = ["start_date", "end_date", "hours_per_week", "employer__name"]
    if personal:
        fields += ["learner__first_name", "learner__last_name"]
    rows = list(qs.order_by("end_date", "pk").values(*fields)[:LIST_LIMIT]) if personal else []
    for row in rows:
        row["name"] = f"{row['learner__last_name']}, {row['learner__first_name']}"
    by_provider = _by_provider(
        qs.values("learner__provider_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values("learner__provider_id", "n"),
        key="learner__provider_id",
    )
    return {"rows": rows, "count": sum(by_provider.values()), "by_provider": by_provider}


def dashboard(*, scope: Scope, today: dt.date | None = None) -> dict:
    """Every panel of the staff dashboard (or, with an aggregate scope, the network view)."""
    today = today or timezone.localdate()
    ids = list(scope.provider_ids)
    personal = not scope.aggregate_only
    panels: dict[str, Any] = {
        "starting": courses_starting_soon(provider_ids=ids, today=today),
        "seats": free_seats_by_location(provider_ids=ids),
        "waiting": waiting_list(provider_ids=ids, today=today, personal=personal),
        "late": past_start_limit(provider_ids=ids, today=today, personal=personal),
        "alerts": attendance_alerts(provider_ids=ids, personal=personal),
        "unsigned": days_not_signed(provider_ids=ids, today=today),
        "internships": internships_running(provider_ids=ids, today=today, personal=personal),
    }
    if scope.aggregate_only:
        panels["providers"] = [
            {
                "name": str(p),
                "starting": panels["starting"]["by_provider"].get(p.pk, 0),
                "free": panels["seats"]["by_provider"].get(p.pk, 0),
                "waiting": panels["waiting"]["by_provider"].get(p.pk, 0),
                "longest": panels["waiting"]["longest_by_provider"].get(p.pk),
                "late": panels["late"]["by_provider"].get(p.pk, 0),
                "alerts": panels["alerts"]["by_provider"].get(p.pk, 0),
                "unsigned": panels["unsigned"]["by_provider"].get(p.pk, 0),
                "internships": panels["internships"]["by_provider"].get(p.pk, 0),
            }
            for p in scope.providers
        ]
    return panels
