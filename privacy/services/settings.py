"""Which period applies: the class's rule in force, or a provider's own shorter one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from people.models import Organisation, Role, User
from privacy.models import ProviderRetentionRule, RetentionRule
from privacy.periods import Period, Unit


class RetentionSettingError(DomainError):
    pass


def effective_period(
    rule: RetentionRule | None, override: ProviderRetentionRule | None
) -> Period | None:
    """The period in force for a provider: its own only if it is shorter and the class is no
    legal duty to keep (a provider may tighten, never extend, never cut a legal duty)."""
    if rule is None or rule.as_period is None:
        return None
    legal = rule.as_period
    if override is None or rule.legal_duty:
        return legal
    own = Period(override.period, override.unit, rule.from_year_end)
    return own if own.shorter_than(legal) else legal


def provider_overrides(on: date) -> dict[tuple[int, str], ProviderRetentionRule]:
    """Every provider's own period in force on ``on``, by (provider id, class)."""
    found: dict[tuple[int, str], ProviderRetentionRule] = {}
    rows = ProviderRetentionRule.objects.filter(valid_from__lte=on).order_by("valid_from")
    for row in rows:
        found[(row.provider_id, row.key)] = row
    return found


def check_provider_period(*, key: str, period: Period, on: date) -> RetentionRule:
    """Refuse a provider period that is not a tightening of the class in force on ``on``."""
    rule = RetentionRule.objects.in_force(on).get(key)
    if rule is None:
        raise RetentionSettingError(
            _("There is no retention class %(key)s.") % {"key": key}, code="unknown", field="key"
        )
    if rule.legal_duty:
        raise RetentionSettingError(
            _("The law requires this period; it cannot be shortened."),
            code="legal_duty",
            field="period",
        )
    legal = rule.as_period
    if legal is not None and not Period(
        period.amount, period.unit, rule.from_year_end
    ).shorter_than(legal):
        raise RetentionSettingError(
            _("A provider may only shorten the period (at most %(period)s).")
            % {"period": legal.label()},
            code="not_shorter",
            field="period",
        )
    return rule


@transaction.atomic
def provider_period_set(
    *,
    provider: Organisation,
    key: str,
    amount: int,
    unit: str = Unit.MONTHS,
    valid_from: date,
    note: str = "",
    by: User | None = None,
) -> ProviderRetentionRule:
    """Record a provider's shorter period for a class from ``valid_from`` on."""
    if (
        by is not None
        and not by.is_superuser
        and provider.pk not in by.provider_ids(role=Role.STAFF)
    ):
        raise RetentionSettingError(
            _("Only staff of the provider may change its periods."), code="not_staff"
        )
    check_provider_period(key=key, period=Period(amount, unit), on=valid_from)
    row, _created = ProviderRetentionRule.objects.update_or_create(
        provider=provider,
        key=key,
        valid_from=valid_from,
        defaults={"period": amount, "unit": unit, "note": note},
    )
    return row


@dataclass(frozen=True)
class ClassPeriod:
    """A class as it applies to one provider on one day (for pages and exports)."""

    key: str
    rule: RetentionRule
    period: Period | None
    tightened: bool


def class_periods(*, provider: Organisation | None, on: date) -> list[ClassPeriod]:
    rules = RetentionRule.objects.in_force(on)
    overrides = provider_overrides(on) if provider is not None else {}
    out = []
    for key, rule in sorted(rules.items()):
        override = overrides.get((provider.pk, key)) if provider is not None else None
        period = effective_period(rule, override)
        out.append(ClassPeriod(key, rule, period, period != rule.as_period))
    return out
