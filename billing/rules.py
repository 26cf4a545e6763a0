"""The billing rule versions in force, read once per computation (six queries, whatever the
number of modules or learners), and the periods of a module between rule changes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from billing.models import (
    BillableCode,
    ExemptionGround,
    OwnContribution,
    ReimbursementRate,
    TestFee,
    TravelSubsidyRule,
)
from core.errors import DomainError


class RuleMissing(DomainError):
    pass


@dataclass
class RuleBook:
    """Every version of every billing rule, to answer "which version was in force on day D"."""

    rates: list[ReimbursementRate]
    contributions: list[OwnContribution]
    codes: list[BillableCode]
    grounds: dict[int, ExemptionGround] = field(default_factory=dict)
    travel: list[TravelSubsidyRule] = field(default_factory=list)
    test_fees: list[TestFee] = field(default_factory=list)

    @classmethod
    def load(cls) -> RuleBook:
        return cls(
            rates=list(ReimbursementRate.objects.order_by("valid_from", "min_group_size")),
            contributions=list(OwnContribution.objects.order_by("valid_from")),
            codes=list(BillableCode.objects.order_by("valid_from")),
            grounds={g.pk: g for g in ExemptionGround.objects.all()},
            travel=list(TravelSubsidyRule.objects.order_by("valid_from")),
            test_fees=list(TestFee.objects.order_by("valid_from")),
        )

    def key(self) -> str:
        """A fingerprint of every rule version a claim is computed from (every field of every
        row): figures stored under another key were computed by other rules."""
        rows = [*self.rates, *self.contributions, *self.codes, *self.grounds.values(), *self.travel]
        text = repr(
            [
                (
                    row._meta.label,
                    [(f.attname, getattr(row, f.attname)) for f in row._meta.concrete_fields],
                )
                for row in rows
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def change_days(self) -> list[date]:
        """Every day on which some rule took a new version."""
        days = {r.valid_from for r in self.rates}
        days |= {c.valid_from for c in self.contributions}
        days |= {c.valid_from for c in self.codes}
        days |= {t.valid_from for t in self.travel}
        return sorted(days)

    def periods(self, first: date, last: date) -> list[tuple[date, date]]:
        """``first``–``last`` cut at each rule change inside it: each day of a period is billed
        by the same rule versions (the version in force on that day)."""
        cuts = [d for d in self.change_days() if first < d <= last]
        out, start = [], first
        for cut in cuts:
            out.append((start, cut - timedelta(days=1)))
            start = cut
        out.append((start, last))
        return out

    def rate(self, *, on: date, group_size: int, programme_id: int | None) -> ReimbursementRate:
        """The tier for ``group_size`` of the rate version in force on ``on``; a version for the
        course's programme wins over one for all programmes."""
        scopes = ([programme_id] if programme_id is not None else []) + [None]
        for scope in scopes:
            versions = [r for r in self.rates if r.valid_from <= on and r.programme_id == scope]
            if not versions:
                continue
            latest = max(r.valid_from for r in versions)
            for tier in versions:
                if tier.valid_from != latest or tier.min_group_size > max(group_size, 1):
                    continue
                if tier.max_group_size is None or group_size <= tier.max_group_size:
                    return tier
        raise RuleMissing(
            _("No reimbursement rate is in force on %(day)s for a group of %(n)s.")
            % {"day": on.strftime("%d.%m.%Y"), "n": group_size},
            code="no_rate",
        )

    def contribution(self, *, on: date) -> OwnContribution | None:
        found = None
        for row in self.contributions:
            if row.valid_from <= on:
                found = row
        return found

    def codes_on(self, on: date) -> dict[str, BillableCode]:
        """The version of each code's rule in force on ``on``."""
        found: dict[str, BillableCode] = {}
        for row in self.codes:
            if row.valid_from <= on:
                found[row.code] = row
        return found

    def travel_rule(self, *, on: date) -> TravelSubsidyRule | None:
        found = None
        for row in self.travel:
            if row.valid_from <= on:
                found = row
        return found

    def test_fee(self, *, kind: str, on: date) -> TestFee | None:
        """The fee version for ``kind`` in force on the day the test was held."""
        found = None
        for row in self.test_fees:
            if row.kind == kind and row.valid_from <= on:
                found = row
        return found
