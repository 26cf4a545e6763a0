"""Staff pages of billing, by topic: the claims (``claims``) and the revenue reports
(``revenue``). ``billing.urls`` reaches every page through this package."""

from __future__ import annotations

from billing.views.claims import (
    claim_detail,
    claim_issue,
    claim_open,
    claim_pdf,
    claim_xlsx,
    finding_acknowledge,
    home,
    payment_record,
)
from billing.views.revenue import bamf_payment_record, revenue_export, revenue_report

__all__ = [
    "bamf_payment_record",
    "claim_detail",
    "claim_issue",
    "claim_open",
    "claim_pdf",
    "claim_xlsx",
    "finding_acknowledge",
    "home",
    "payment_record",
    "revenue_export",
    "revenue_report",
]
