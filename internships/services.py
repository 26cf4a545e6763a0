"""Writes for internships: employers, wishes, placements and their life cycle, supervisor weeks.

Status flow: proposed → agreed → running → completed; proposed/agreed/running → aborted.
A placement may not clash with the learner's course sessions unless it is an in-course
internship; agreeing one that clashes is refused with the clashing dates.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import ConflictError, DomainError
from internships.models import Employer, InternshipWish, Placement, PlacementDay
from internships.selectors import placement_clashes, week_of
from people.models import Learner, Organisation, User
from people.services import learner_event_record

WEEK_LINK_SALT = "internships.supervisor-week"
WEEK_LINK_MAX_AGE = 14 * 24 * 3600  # a week's link is good for two weeks
MAX_WEEKS: dict[str, int] = {
    Placement.Type.EMPLOYER_MEASURE: 6,  # MAG: about 6 weeks per employer
    Placement.Type.ORIENTATION: 13,  # orientation internships: up to 3 months
}

# The placement facts staff may set; the form shows them in this order.
EDITABLE_FIELDS = (
    "employer",
    "type",
    "start_date",
    "end_date",
    "weekdays",
    "daily_hours",
    "daily_start",
    "daily_end",
    "supervisor_name",
    "supervisor_email",
    "learning_goals",
    "tasks",
    "paid",
    "pay_note",
    "jobcenter_reference",
    "immigration_approval_needed",
    "immigration_reference",
)


class InternshipError(DomainError):
    pass


def _check_values(*, learner: Learner, employer: Employer, values: dict[str, Any]) -> None:
    if employer.provider_id != learner.provider_id:
        raise InternshipError(
            _("The employer belongs to another provider."),
            code="foreign_employer",
            field="employer",
        )
    start, end = values["start_date"], values["end_date"]
    if end < start:
        raise InternshipError(
            _("The internship cannot end before it starts."),
            code="end_before_start",
            field="end_date",
        )
    weekdays = values.get("weekdays") or []
    if not weekdays or any(d not in range(7) for d in weekdays):
        raise InternshipError(
            _("Choose the working days."), code="weekdays_required", field="weekdays"
        )
    limit = MAX_WEEKS.get(values.get("type") or "")
    if limit and (end - start).days + 1 > limit * 7:
        raise InternshipError(
            _("This type of internship lasts at most %(n)s weeks.") % {"n": limit},
            code="too_long",
            field="end_date",
        )
    ds, de = values.get("daily_start"), values.get("daily_end")
    if (ds is None) != (de is None) or (ds and de and de <= ds):
        raise InternshipError(
            _("Give both daily times, the end after the start."),
            code="daily_times_invalid",
            field="daily_end",
        )


def _weekly_hours(weekdays: list[int], daily_hours) -> Decimal:
    return Decimal(len(set(weekdays))) * Decimal(daily_hours or 0)


@transaction.atomic
def employer_save(
    *, provider: Organisation, by: User | None, employer: Employer | None = None, **fields
) -> Employer:
    """Create or change an employer of the provider."""
    if employer is not None and employer.provider_id != provider.pk:
        raise InternshipError(_("Unknown employer."), code="foreign_employer")
    employer = employer or Employer(provider=provider)
    for key, value in fields.items():
        setattr(employer, key, value)
    employer.full_clean()
    employer.save()
    return employer


@transaction.atomic
def internship_wish_save(
    *, learner: Learner, sector: str, by: User | None, **fields
) -> InternshipWish:
    """Record (or update) what internship a learner wishes for; one wish per learner."""
    if not sector.strip():
        raise InternshipError(_("Name a sector."), code="sector_required", field="sector")
    wish, _created = InternshipWish.objects.update_or_create(
        learner=learner, defaults={"sector": sector.strip(), **fields}
    )
    return wish


@transaction.atomic
def placement_create(
    *, learner: Learner, employer: Employer, by: User | None, **fields
) -> Placement:
    """Propose an internship placement; clashes are allowed now and block only the agreement."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InternshipError(_("Unknown fields."), code="unknown_fields")
    fields.setdefault("type", Placement.Type.ORIENTATION)
    _check_values(learner=learner, employer=employer, values=fields)
    fields["weekdays"] = sorted(set(fields["weekdays"]))
    return Placement.objects.create(
        learner=learner,
        employer=employer,
        created_by=by,
        hours_per_week=_weekly_hours(fields["weekdays"], fields.get("daily_hours")),
        **fields,
    )


@transaction.atomic
def placement_update(*, placement: Placement, by: User | None, **fields) -> Placement:
    """Change a proposed placement (an agreed one is fixed: abort and propose anew)."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status != Placement.Status.PROPOSED:
        raise ConflictError(_("Only a proposed internship can be changed."), code="not_proposed")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InternshipError(_("Unknown fields."), code="unknown_fields")
    for key, value in fields.items():
        setattr(placement, key, value)
    values = {k: getattr(placement, k) for k in EDITABLE_FIELDS}
    _check_values(learner=placement.learner, employer=placement.employer, values=values)
    placement.weekdays = sorted(set(placement.weekdays))
    placement.hours_per_week = _weekly_hours(placement.weekdays, placement.daily_hours)
    placement.save()
    return placement


def _format_clashes(clashes) -> str:
    shown = ", ".join(date_format(c.date, "SHORT_DATE_FORMAT") for c in clashes[:10])
    more = len(clashes) - 10
    return shown + (f" (+{more})" if more > 0 else "")


@transaction.atomic
def placement_agree(*, placement: Placement, by: User | None) -> Placement:
    """Agree a proposed placement.

    Refused while it clashes with the learner's course sessions (unless it is an in-course
    internship) or while a required approval reference is missing. For an in-course internship
    the course days inside it are entered as P (internship) in the register.
    """
    placement = Placement.objects.select_for_update().select_related("learner").get(pk=placement.pk)
    if placement.status != Placement.Status.PROPOSED:
        raise ConflictError(_("Only a proposed internship can be agreed."), code="not_proposed")
    if placement.type == Placement.Type.EMPLOYER_MEASURE and not placement.jobcenter_reference:
        raise InternshipError(
            _("A Jobcenter employer measure needs the Jobcenter's approval reference."),
            code="jobcenter_approval_missing",
            field="jobcenter_reference",
        )
    if placement.immigration_approval_needed and not placement.immigration_reference:
        raise InternshipError(
            _("The immigration office's approval reference is missing."),
            code="immigration_approval_missing",
            field="immigration_reference",
        )
    if placement.type != Placement.Type.IN_COURSE:
        clashes = placement_clashes(placement)
        if clashes:
            raise ConflictError(
                _("The internship clashes with course days: %(dates)s")
                % {"dates": _format_clashes(clashes)},
                code="clash",
            )
    placement.status = Placement.Status.AGREED
    placement.agreed_at = timezone.now()
    placement.save(update_fields=["status", "agreed_at", "updated_at"])
    if placement.type == Placement.Type.IN_COURSE:
        from attendance.services import register_internship_days

        register_internship_days(
            learner=placement.learner,
            start=placement.start_date,
            end=placement.end_date,
            weekdays=list(placement.weekdays),
            by=by,
        )
    return placement


@transaction.atomic
def placement_start(*, placement: Placement, by: User | None) -> Placement:
    """The intern has started: the placement runs, and the learner's event feed says so."""
    placement = Placement.objects.select_for_update().select_related("learner").get(pk=placement.pk)
    if placement.status != Placement.Status.AGREED:
        raise ConflictError(_("Only an agreed internship can start."), code="not_agreed")
    placement.status = Placement.Status.RUNNING
    placement.save(update_fields=["status", "updated_at"])
    learner_event_record(
        learner=placement.learner,
        type="internship_started",
        data=_event_data(placement),
    )
    return placement


@transaction.atomic
def placement_complete(
    *,
    placement: Placement,
    by: User | None,
    outcome: str = "",
    final_evaluation: str | None = None,
) -> Placement:
    """The internship has ended as planned; record its outcome and tell the event feed."""
    placement = Placement.objects.select_for_update().select_related("learner").get(pk=placement.pk)
    if placement.status != Placement.Status.RUNNING:
        raise ConflictError(_("Only a running internship can be completed."), code="not_running")
    if outcome and outcome not in Placement.Outcome.values:
        raise InternshipError(_("Unknown outcome."), code="unknown_outcome", field="outcome")
    placement.status = Placement.Status.COMPLETED
    placement.outcome = outcome or placement.outcome
    if final_evaluation is not None:
        placement.final_evaluation = final_evaluation
    placement.save(update_fields=["status", "outcome", "final_evaluation", "updated_at"])
    learner_event_record(
        learner=placement.learner,
        type="internship_ended",
        data={**_event_data(placement), "outcome": placement.outcome, "completed": True},
    )
    return placement


@transaction.atomic
def placement_abort(*, placement: Placement, by: User | None, reason: str) -> Placement:
    """Abort a placement (with a reason); a running one also ends in the event feed."""
    if not reason.strip():
        raise InternshipError(
            _("Give a reason for aborting."), code="reason_required", field="reason"
        )
    placement = Placement.objects.select_for_update().select_related("learner").get(pk=placement.pk)
    if placement.status in (Placement.Status.COMPLETED, Placement.Status.ABORTED):
        raise ConflictError(_("The internship has already ended."), code="already_ended")
    was_running = placement.status == Placement.Status.RUNNING
    placement.status = Placement.Status.ABORTED
    placement.abort_reason = reason.strip()
    placement.save(update_fields=["status", "abort_reason", "updated_at"])
    if was_running:
        learner_event_record(
            learner=placement.learner,
            type="internship_ended",
            data={**_event_data(placement), "completed": False},
        )
    return placement


@transaction.atomic
def placement_evaluate(
    *,
    placement: Placement,
    by: User | None,
    midterm_evaluation: str | None = None,
    final_evaluation: str | None = None,
    outcome: str | None = None,
) -> Placement:
    """Record the mid-term or final evaluation and the outcome of an agreed placement."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status == Placement.Status.PROPOSED:
        raise ConflictError(_("A proposed internship cannot be evaluated yet."), code="not_agreed")
    if outcome and outcome not in Placement.Outcome.values:
        raise InternshipError(_("Unknown outcome."), code="unknown_outcome", field="outcome")
    if midterm_evaluation is not None:
        placement.midterm_evaluation = midterm_evaluation
    if final_evaluation is not None:
        placement.final_evaluation = final_evaluation
    if outcome is not None:
        placement.outcome = outcome
    placement.save(
        update_fields=["midterm_evaluation", "final_evaluation", "outcome", "updated_at"]
    )
    return placement


@transaction.atomic
def placements_advance(*, on: date | None = None) -> dict[str, int]:
    """Daily job: start agreed placements whose first day has come, complete finished ones."""
    on = on or timezone.localdate()
    started = completed = 0
    for placement in Placement.objects.filter(
        status=Placement.Status.AGREED, start_date__lte=on
    ).order_by("pk"):
        placement_start(placement=placement, by=None)
        started += 1
    for placement in Placement.objects.filter(
        status=Placement.Status.RUNNING, end_date__lt=on
    ).order_by("pk"):
        placement_complete(placement=placement, by=None)
        completed += 1
    return {"started": started, "completed": completed}


def _event_data(placement: Placement) -> dict[str, Any]:
    return {
        "placement_id": placement.pk,
        "type": placement.type,
        "start_date": placement.start_date.isoformat(),
        "end_date": placement.end_date.isoformat(),
    }


# Supervisor weekly confirmation --------------------------------------------------------------


def supervisor_week_token(*, placement: Placement, monday: date) -> str:
    """A signed token for one placement and one week; it carries no other access."""
    return signing.dumps({"p": placement.pk, "w": week_of(monday).isoformat()}, salt=WEEK_LINK_SALT)


def supervisor_week_from_token(token: str) -> tuple[int, date]:
    """(placement id, monday) from a token; raises signing.SignatureExpired / BadSignature."""
    data = signing.loads(token, salt=WEEK_LINK_SALT, max_age=WEEK_LINK_MAX_AGE)
    return int(data["p"]), date.fromisoformat(data["w"])


@transaction.atomic
def placement_week_confirm(
    *,
    placement: Placement,
    monday: date,
    days: dict[date, dict[str, Any]],
    confirmed_by_name: str,
) -> list[PlacementDay]:
    """The supervisor confirms the intern's days of one week (present or absent, hours).

    Only working days of this placement inside this week are accepted; a later confirmation of
    the same week overwrites the earlier one.
    """
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if placement.status not in (Placement.Status.RUNNING, Placement.Status.AGREED):
        raise ConflictError(_("This internship is not running."), code="not_running")
    allowed = set(placement.working_days(monday, monday + timedelta(days=6)))
    if not set(days) <= allowed:
        raise InternshipError(
            _("Only this week's working days can be confirmed."), code="day_outside_week"
        )
    saved = []
    for day in sorted(days):
        value = days[day]
        present = bool(value.get("present"))
        hours = Decimal(value.get("hours") or 0) if present else Decimal(0)
        if hours < 0 or hours > 12:
            raise InternshipError(_("Hours must be between 0 and 12."), code="hours_invalid")
        record, _created = PlacementDay.objects.update_or_create(
            placement=placement,
            date=day,
            defaults={
                "present": present,
                "hours": hours,
                "note": (value.get("note") or "")[:300],
                "confirmed_by_name": confirmed_by_name[:200],
                "confirmed_at": timezone.now(),
            },
        )
        saved.append(record)
    return saved
