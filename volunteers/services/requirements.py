"""Recording requirements, and the one check every assignment goes through.

Shifts, tandems and staff assignments all call ``assignment_check``: a requirement of the role
that is missing, expired (on the day of the work) or not met blocks the assignment with a
domain error that names the requirement and the role.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.errors import ConflictError
from courses.models import Course
from people.models import User
from volunteers.models import (
    ConductCheck,
    RequirementKind,
    RequirementRecord,
    Volunteer,
    VolunteerRole,
)
from volunteers.rules import add_months
from volunteers.selectors.requirements import (
    State,
    requirement_label,
    requirement_states,
    rule_for,
)
from volunteers.services.base import VolunteerError, today


class RequirementError(ConflictError):
    """An assignment is blocked by a requirement (409: the request clashes with the records)."""


def assignment_check(*, volunteer: Volunteer, role: str, on: date) -> None:
    """Raise ``RequirementError`` unless every requirement of ``role`` is met on ``on``."""
    role_label = VolunteerRole(role).label if role in VolunteerRole.values else role
    for state in requirement_states(volunteer=volunteer, on=on, roles=[role], remind_days=0):
        if not state.blocks:
            continue
        values = {"requirement": state.label, "role": role_label}
        if state.status == State.MISSING:
            raise RequirementError(
                _("%(requirement)s is missing: it is needed for %(role)s.") % values,
                code="requirement_missing",
                field=state.code,
            )
        if state.status == State.EXPIRED:
            assert state.expires_on is not None  # a requirement expires on its date
            values["date"] = date_format(state.expires_on, "SHORT_DATE_FORMAT")
            raise RequirementError(
                _("%(requirement)s expired on %(date)s: it is needed for %(role)s.") % values,
                code="requirement_expired",
                field=state.code,
            )
        raise RequirementError(
            _("%(requirement)s does not allow working as %(role)s.") % values,
            code="requirement_not_met",
            field=state.code,
        )


def _expiry(code: str, fulfilled_on: date):
    rule = rule_for(code, on=fulfilled_on)
    if rule is None:
        raise VolunteerError(_("Unknown requirement."), code="unknown_requirement", field="code")
    months = rule.validity_months
    return rule, (add_months(fulfilled_on, months) if months else None)


def _check_day(day: date, field: str) -> None:
    if day > today():
        raise VolunteerError(
            _("The date cannot be in the future."), code="future_date", field=field
        )


@transaction.atomic
def requirement_record(
    *,
    volunteer: Volunteer,
    code: str,
    fulfilled_on: date,
    by: User,
    note: str = "",
    training_course: Course | None = None,
) -> RequirementRecord:
    """Record a fulfilled pledge or training; it counts until the rule's validity ends."""
    _check_day(fulfilled_on, "fulfilled_on")
    rule, expires_on = _expiry(code, fulfilled_on)
    if rule.kind == RequirementKind.CONDUCT_CERTIFICATE:
        raise VolunteerError(
            _("Record a certificate of conduct as an inspection."), code="use_conduct_check"
        )
    if training_course is not None and training_course.provider_id != volunteer.provider_id:
        raise VolunteerError(
            _("The course belongs to another provider."),
            code="foreign_course",
            field="training_course",
        )
    return RequirementRecord.objects.create(
        volunteer=volunteer,
        code=code,
        fulfilled_on=fulfilled_on,
        expires_on=expires_on,
        training_course=training_course,
        note=note,
        recorded_by=by,
    )


@transaction.atomic
def conduct_check_record(
    *, volunteer: Volunteer, inspected_on: date, result: str, by: User
) -> ConductCheck:
    """Staff saw an extended certificate of conduct: keep the day, who and the result — never
    the document. A clear result fulfils the requirement for its validity."""
    _check_day(inspected_on, "inspected_on")
    if result not in ConductCheck.Result.values:
        raise VolunteerError(_("Choose a result."), code="result_required", field="result")
    check = ConductCheck.objects.create(
        volunteer=volunteer,
        inspected_on=inspected_on,
        inspected_by=by,
        inspected_by_name=by.get_full_name() or by.get_username(),
        result=result,
    )
    if result == ConductCheck.Result.CLEAR:
        _rule, expires_on = _expiry("conduct_certificate", inspected_on)
        RequirementRecord.objects.create(
            volunteer=volunteer,
            code="conduct_certificate",
            fulfilled_on=inspected_on,
            expires_on=expires_on,
            conduct_check=check,
            recorded_by=by,
        )
    return check


def label_for(code: str, on: date) -> str:
    rule = rule_for(code, on=on)
    return requirement_label(rule) if rule else code
