"""Issue 14, exports: cells beginning with = + - @ are neutralised in CSV and XLSX (one helper,
core.spreadsheets, used by the reports, volunteer reports and privacy exports)."""

import io
from types import SimpleNamespace

import openpyxl
import pandas as pd

from core.spreadsheets import safe_cell, safe_frame

EVIL = ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "Ada"]


def test_safe_cell_neutralises_formula_starts_and_keeps_numbers():
    assert [safe_cell(v) for v in EVIL] == [
        '\'=HYPERLINK("http://x")',
        "'+1+2",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "Ada",
    ]
    assert safe_cell(-5) == -5 and safe_cell(1.5) == 1.5 and safe_cell(None) is None


def test_report_csv_and_xlsx_downloads_write_no_formula():
    from django.test import RequestFactory

    from core.report_pages import report_download

    df = pd.DataFrame({"name": EVIL, "ue": range(len(EVIL))})
    report = SimpleNamespace(title="Test", columns={"name": "name", "ue": "ue"})
    request = RequestFactory().get("/", {"csv": "intl"})
    csv = report_download(request, report, df, fmt="csv", name="t")
    text = csv.content.decode("utf-8-sig")
    assert "\n=HYPERLINK" not in text and "'=HYPERLINK" in text and "\n'@SUM(A1)" in text
    xlsx = report_download(request, report, df, fmt="xlsx", name="t")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    values = [c.value for c in book.active["A"]][1:]
    assert values == [safe_cell(v) for v in EVIL]
    assert [c.data_type for c in book.active["A"]][1:] == ["s"] * len(EVIL)
    assert [c.value for c in book.active["B"]][1:] == list(range(len(EVIL)))


def test_safe_frame_leaves_the_original_alone():
    df = pd.DataFrame({"a": ["=1"]})
    assert safe_frame(df)["a"].tolist() == ["'=1"] and df["a"].tolist() == ["=1"]


def test_csv_is_in_german_excel_form_for_german_users_and_plain_on_request():
    from django.utils import translation

    from core.spreadsheets import csv_bytes

    df = pd.DataFrame({"Name": ["Ada"], "Quote": [0.75]})
    with translation.override("de"):
        raw = csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == ["Name;Quote", "Ada;0,75"]
    with translation.override("en"):
        assert csv_bytes(df).decode("utf-8-sig").splitlines() == ["Name,Quote", "Ada,0.75"]
    with translation.override("de"):
        assert csv_bytes(df, german=False).decode("utf-8-sig").splitlines()[1] == "Ada,0.75"
