"""Drop-outs: withdrawals in the period by reason category."""

from __future__ import annotations

import pandas as pd
from django.db.models import Count, Q

from enrolment.models import Enrolment
from reports.access import Scope
from reports.frames.base import Filters, Result, percent, scoped_courses


def dropouts(scope: Scope, filters: Filters) -> Result:
    """Withdrawals in the period by reason category (left on, else the day of the change)."""
    columns = ["reason", "withdrawals", "share_pct"]
    qs = Enrolment.objects.filter(
        course__in=scoped_courses(scope, filters).values("pk"),
        status=Enrolment.Status.WITHDRAWN,
    ).filter(
        Q(ended_on__gte=filters.date_from, ended_on__lte=filters.date_to)
        | Q(
            ended_on__isnull=True,
            updated_at__date__gte=filters.date_from,
            updated_at__date__lte=filters.date_to,
        )
    )
    counts = dict(
        qs.values("withdrawal_reason")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("withdrawal_reason", "n")
    )
    reasons = dict(Enrolment.WithdrawalReason.choices)
    keys = list(reasons) + sorted(k for k in counts if k not in reasons)
    df = pd.DataFrame(
        {
            "reason": [str(reasons.get(k, k)) for k in keys],
            "withdrawals": [int(counts.get(k, 0)) for k in keys],
        }
    )
    total = int(df["withdrawals"].sum())
    df["share_pct"] = percent(df["withdrawals"].values, [total] * len(df)).values
    return Result(df[columns], {"withdrawals": total})
