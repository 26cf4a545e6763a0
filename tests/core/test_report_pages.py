"""The shared pieces of the apps' report pages (core.report_pages)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.http import Http404
from django.test import RequestFactory

from core.report_pages import report_download, requested_period


@dataclass(frozen=True)
class Span:
    date_from: dt.date
    date_to: dt.date


DEFAULT = Span(dt.date(2025, 4, 1), dt.date(2026, 3, 15))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, DEFAULT),
        ({"from": "2026-01-01"}, Span(dt.date(2026, 1, 1), dt.date(2026, 3, 15))),
        (
            {"from": "2026-01-01", "to": "2026-02-01"},
            Span(dt.date(2026, 1, 1), dt.date(2026, 2, 1)),
        ),
        ({"from": "2026-02-30"}, DEFAULT),  # no such day
        ({"from": "2026-03-02", "to": "2026-03-01"}, DEFAULT),  # reversed
        ({"from": "2022-01-01", "to": "2025-01-07"}, DEFAULT),  # 1,102 days: over 3 × 366
        (
            {"from": "2022-01-01", "to": "2025-01-02"},
            Span(dt.date(2022, 1, 1), dt.date(2025, 1, 2)),
        ),
    ],
)
def test_requested_period(query, expected):
    request = RequestFactory().get("/", query)
    assert requested_period(request, DEFAULT, Span) == expected


def test_download_of_an_unknown_format_is_a_404():
    with pytest.raises(Http404):
        report_download(RequestFactory().get("/"), object(), None, fmt="pdf", name="x")
