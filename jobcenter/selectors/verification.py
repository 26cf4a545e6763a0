"""What a Jobcenter may verify about its clients: the rule in force, the valid links, and the
records of enrolments, attendance and internships it is answered with."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from attendance.selectors import Figures, attendance_figures
from enrolment.models import Enrolment
from internships.models import Placement
from jobcenter.models import (
    JobcenterLink,
    ParticipationRule,
    parts_for,
)

# Used only when no ParticipationRule row applies (the rule table is the place to set it).
FALLBACK_MIN_RATE = Decimal("0.800")

# How enrolment states read to the Jobcenter; "applied" (awaiting confirmation) is a wait too.
STATUS_FOR_JOBCENTER: dict[str, str] = {
    Enrolment.Status.APPLIED: "waitlisted",
    Enrolment.Status.WAITLISTED: "waitlisted",
    Enrolment.Status.OFFERED: "offered",
    Enrolment.Status.ENROLLED: "enrolled",
    Enrolment.Status.COMPLETED: "completed",
    Enrolment.Status.WITHDRAWN: "withdrawn",
}
# Enrolments whose attendance means something (the learner had a seat).
SEATED = {Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN}


@dataclass(frozen=True, slots=True)
class _EnrolmentRow:
    """The columns of an enrolment the Jobcenter answer needs (plain values, no model objects:
    a bulk answer touches thousands of rows)."""

    pk: int
    learner_id: int
    course_id: int
    status: str
    start_date: date | None
    ended_on: date | None
    course_type: str
    course_type_name: str
    provider_name: str
    provider_short_name: str
    location_name: str
    location_town: str
    course_start_date: date
    course_end_date: date | None
    ue_per_week: int


# The enrolment columns, named as the fields of _EnrolmentRow.
_ENROLMENT_COLUMNS = {
    "course_type": F("course__course_type__code"),
    "course_type_name": F("course__course_type__name"),
    "provider_name": F("course__provider__name"),
    "provider_short_name": F("course__provider__short_name"),
    "location_name": F("course__location__name"),
    "location_town": F("course__location__town"),
    "course_start_date": F("course__start_date"),
    "course_end_date": F("course__end_date"),
    "ue_per_week": F("course__ue_per_week"),
}

# A row that is always added to the figures call, so the queries run the same way whether or
# not anyone was found (same time class for "found" and "not found").
_PROBE = _EnrolmentRow(0, 0, 0, "enrolled", None, None, "", "", "", "", "", "", date.min, None, 0)


@dataclass
class Rule:
    min_rate: Decimal
    max_unexcused_days: int | None = None

    @classmethod
    def of(cls, min_rate: Decimal | None, max_unexcused_days: int | None) -> Rule:
        """The rule from a rule row's columns; ``FALLBACK_MIN_RATE`` when no row applies."""
        if min_rate is None:
            return cls(min_rate=FALLBACK_MIN_RATE)
        return cls(min_rate=min_rate, max_unexcused_days=max_unexcused_days)

    def proper(self, figures: Figures) -> bool | None:
        if figures.rate is None:
            return None
        if self.max_unexcused_days is not None and figures.unexcused_days > self.max_unexcused_days:
            return False
        return Decimal(str(figures.rate)) >= self.min_rate


def _rules_in_force(*, jobcenter_id: int, on: date) -> QuerySet:
    """Rule versions that apply on ``on``, the one in force first: the Jobcenter's own latest
    version, else the default's (no Jobcenter)."""
    return ParticipationRule.objects.filter(
        Q(jobcenter_id=jobcenter_id) | Q(jobcenter__isnull=True), valid_from__lte=on
    ).order_by(F("jobcenter_id").asc(nulls_last=True), "-valid_from")


def _valid_links(*, jobcenter_id: int, numbers: list[str], on: date) -> QuerySet[JobcenterLink]:
    """This Jobcenter's valid links with these customer numbers, with the learner's birth date."""
    return (
        JobcenterLink.objects.valid(on=on)
        .filter(jobcenter_id=jobcenter_id, customer_number__in=numbers)
        .select_related("learner")
        .only(
            "learner_id",
            "customer_number",
            "basis",
            "consent_scope",
            "learner__date_of_birth",
        )
        .order_by("learner_id")
    )


def _rule_in_force(*, jobcenter_id: int, on: date) -> Rule:
    row = _rules_in_force(jobcenter_id=jobcenter_id, on=on).first()
    if row is None:
        return Rule.of(None, None)
    return Rule.of(row.min_rate, row.max_unexcused_days)


def _enrolments_of(*, learner_ids: list[int]) -> list[_EnrolmentRow]:
    # the plugin types ``values()`` without the annotated columns
    rows: Iterable[Mapping[str, Any]] = (
        Enrolment.objects.filter(learner_id__in=learner_ids)
        .order_by("course__start_date", "pk")
        .values("pk", "learner_id", "course_id", "status", "start_date", "ended_on")
        .annotate(**_ENROLMENT_COLUMNS)
    )
    return [_EnrolmentRow(**row) for row in rows]


def _placements_of(*, learner_ids: list[int]) -> QuerySet:
    return (
        Placement.objects.filter(learner_id__in=learner_ids)
        .order_by("start_date", "pk")
        .values("learner_id", "start_date", "end_date", "hours_per_week", "status")
        .annotate(employer_name=F("employer__name"))
    )


@dataclass
class LearnerRecord:
    """What one learner record contributed to an answer, for the access log."""

    learner_id: int | None
    fields: list[str]
    customer_number: str = ""
    #: what was read when there is no learner record (yet), e.g. ``"referral:12"``
    subject: str = ""


@dataclass
class Answer:
    results: list[dict[str, Any]]
    shared: list[LearnerRecord] = field(default_factory=list)


def _not_found(customer_number: str) -> dict[str, Any]:
    return {"customer_number": customer_number, "found": False, "enrolments": [], "internships": []}


def verification_results(
    *,
    jobcenter_id: int,
    participants: Sequence[tuple[str, date]],
    on: date | None = None,
    with_ids: bool = False,
) -> Answer:
    """One result per (customer number, date of birth), in input order.

    A result is found only when a *valid* link of this Jobcenter carries the customer number and
    the linked learner has that date of birth; otherwise the answer is the same ``found: false``
    for an unknown number, a wrong date and a learner without a link. The queries are the same
    (the same number, whatever the number of participants and whether anyone is found), so the answer time does not tell the cases apart either. Data is limited
    to what each link's basis allows.
    ``with_ids`` adds internal ids for the portal's document links (never in the API).
    """
    on = on or timezone.localdate()
    numbers = sorted({number for number, _ in participants})
    by_key: dict[tuple[str, date | None], list[JobcenterLink]] = {}
    rule = _rule_in_force(jobcenter_id=jobcenter_id, on=on)
    for link in _valid_links(jobcenter_id=jobcenter_id, numbers=numbers, on=on):
        by_key.setdefault((link.customer_number, link.learner.date_of_birth), []).append(link)
    wanted = {(number, dob) for number, dob in participants}
    matched = [link for key, group in by_key.items() if key in wanted for link in group]
    found_ids = sorted({link.learner_id for link in matched})
    # Padded to the number asked for: the SQL is the same whether anyone was found or not.
    learner_ids = [0, *found_ids, *[0] * (len(participants) - len(found_ids))]

    enrolments = _enrolments_of(learner_ids=learner_ids)
    placements = _placements_of(learner_ids=learner_ids)
    seated = [e for e in enrolments if e.status in SEATED]
    figures = attendance_figures([*seated, _PROBE], until=on)

    enrolments_of: dict[int, list[_EnrolmentRow]] = {}
    for enrolment in enrolments:
        enrolments_of.setdefault(enrolment.learner_id, []).append(enrolment)
    placements_of: dict[int, list[dict[str, Any]]] = {}
    for placement in placements:
        placements_of.setdefault(placement["learner_id"], []).append(placement)

    results: list[dict[str, Any]] = []
    shared: dict[int, set[str]] = {}
    numbers_of: dict[int, str] = {}
    misses: list[LearnerRecord] = []
    for number, dob in participants:
        group = by_key.get((number, dob))
        if not group:
            results.append(_not_found(number))
            misses.append(LearnerRecord(None, ["customer_number", "found"], number))
            continue
        result: dict[str, Any] = {
            "customer_number": number,
            "found": True,
            "enrolments": [],
            "internships": [],
        }
        for link in group:
            learner_id = link.learner_id
            parts = parts_for(link.basis, link.consent_scope)
            numbers_of[learner_id] = number
            fields = shared.setdefault(learner_id, {"customer_number", "found"})
            if "enrolments" in parts:
                fields.add("enrolments")
                for enrolment in enrolments_of.get(learner_id, []):
                    row = _enrolment_row(enrolment, figures, rule, "attendance" in parts)
                    if with_ids:
                        row.update(
                            enrolment_id=enrolment.pk,
                            course_type_name=enrolment.course_type_name,
                            parts=parts,
                        )
                    result["enrolments"].append(row)
                if "attendance" in parts:
                    fields.update({"attendance", "proper_participation"})
            if "internships" in parts:
                fields.add("internships")
                result["internships"].extend(
                    _placement_row(p) for p in placements_of.get(learner_id, [])
                )
        results.append(result)
    return Answer(
        results=results,
        shared=[
            *(LearnerRecord(pk, sorted(f), numbers_of[pk]) for pk, f in sorted(shared.items())),
            *misses,
        ],
    )


def _enrolment_row(
    enrolment: _EnrolmentRow, figures: dict[int, Figures], rule: Rule, with_attendance: bool
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "course_type": enrolment.course_type,
        "provider": enrolment.provider_short_name or enrolment.provider_name,
        "location": f"{enrolment.location_name}, {enrolment.location_town}",
        "start_date": enrolment.start_date or enrolment.course_start_date,
        "end_date": enrolment.ended_on or enrolment.course_end_date,
        "ue_per_week": enrolment.ue_per_week,
        "status": STATUS_FOR_JOBCENTER.get(enrolment.status, "waitlisted"),
        "attendance": None,
        "proper_participation": None,
    }
    if with_attendance:
        fig = figures.get(enrolment.pk)
        if fig is None:  # not seated: no attendance yet
            row["attendance"] = {
                "ue_held": 0,
                "ue_attended": Decimal(0),
                "rate": None,
                "unexcused_days": 0,
                "last_attended": None,
            }
        else:
            row["attendance"] = {
                "ue_held": fig.ue_held,
                "ue_attended": fig.ue_attended,
                "rate": fig.rate,
                "unexcused_days": fig.unexcused_days,
                "last_attended": fig.last_attended,
            }
            row["proper_participation"] = rule.proper(fig)
    return row


def _placement_row(placement: dict[str, Any]) -> dict[str, Any]:
    return {
        "employer": placement["employer_name"],
        "start_date": placement["start_date"],
        "end_date": placement["end_date"],
        "hours_per_week": placement["hours_per_week"],
        "status": placement["status"],
    }
