"""Where a volunteer stands with the requirements of their roles, on a given day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from volunteers.models import (
    ConductCheck,
    RequirementKind,
    RequirementRecord,
    RequirementRule,
    Volunteer,
)

#: Names of the known requirements in the reader's language (the rule rows carry German names).
REQUIREMENT_LABELS = {
    "conduct_certificate": _("Extended certificate of conduct"),
    "data_protection_pledge": _("Pledge of confidentiality and data protection"),
    "basic_training": _("Basic training for volunteers"),
    "lotse_qualification": _("Integration guide qualification"),
}


def requirement_label(rule: RequirementRule) -> str:
    return str(REQUIREMENT_LABELS.get(rule.code, rule.name))


class State:
    OK = "ok"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    MISSING = "missing"
    NOT_MET = "not_met"
    BLOCKING = (EXPIRED, MISSING, NOT_MET)


@dataclass(frozen=True)
class RequirementState:
    code: str
    label: str
    kind: str
    roles: tuple[str, ...]
    status: str
    fulfilled_on: date | None
    expires_on: date | None

    @property
    def blocks(self) -> bool:
        return self.status in State.BLOCKING


def current_rules(on: date) -> list[RequirementRule]:
    return list(RequirementRule.objects.current(on).order_by("code"))


def rule_for(code: str, *, on: date) -> RequirementRule | None:
    """The version in force on ``on``; before the first version, the first one."""
    rule = RequirementRule.objects.current(on).filter(code=code).first()
    return rule or RequirementRule.objects.filter(code=code).order_by("valid_from").first()


def requirement_states(
    *,
    volunteer: Volunteer,
    on: date,
    roles: Iterable[str] | None = None,
    remind_days: int = 30,
    rules: list[RequirementRule] | None = None,
) -> list[RequirementState]:
    """Each requirement of the ``roles`` (default: the volunteer's roles) as it stands on ``on``.

    The latest record of a requirement counts. A certificate of conduct whose latest inspection
    shows a relevant entry is *not met*, whatever an earlier inspection said. Two queries.
    """
    wanted = set(volunteer.roles if roles is None else roles)
    rules = [
        r for r in (rules if rules is not None else current_rules(on)) if wanted & set(r.roles)
    ]
    if not rules:
        return []
    latest: dict[str, RequirementRecord] = {}
    for row in RequirementRecord.objects.filter(
        volunteer=volunteer, code__in=[r.code for r in rules], fulfilled_on__lte=on
    ).order_by("code", "-fulfilled_on", "-pk"):
        latest.setdefault(row.code, row)
    last_check = None
    if any(r.kind == RequirementKind.CONDUCT_CERTIFICATE for r in rules):
        last_check = (
            ConductCheck.objects.filter(volunteer=volunteer, inspected_on__lte=on)
            .order_by("-inspected_on", "-pk")
            .first()
        )
    states = []
    for rule in rules:
        record = latest.get(rule.code)
        if (
            rule.kind == RequirementKind.CONDUCT_CERTIFICATE
            and last_check is not None
            and last_check.result == ConductCheck.Result.RELEVANT_ENTRY
        ):
            status = State.NOT_MET
        elif record is None:
            status = State.MISSING
        elif record.expires_on is not None and record.expires_on < on:
            status = State.EXPIRED
        elif record.expires_on is not None and record.expires_on <= on + timedelta(
            days=remind_days
        ):
            status = State.EXPIRING
        else:
            status = State.OK
        states.append(
            RequirementState(
                code=rule.code,
                label=requirement_label(rule),
                kind=rule.kind,
                roles=tuple(sorted(wanted & set(rule.roles))),
                status=status,
                fulfilled_on=record.fulfilled_on if record else None,
                expires_on=record.expires_on if record else None,
            )
        )
    return states
