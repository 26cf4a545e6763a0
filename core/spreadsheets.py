"""Cells for CSV and XLSX exports that spreadsheet software will not run as formulas.

A learner's name or note typed as ``=HYPERLINK(...)`` or ``@SUM(...)`` would otherwise become a
formula when staff open the export (CSV/formula injection). Every export writes its cells through
``safe_cell`` / ``safe_frame``: text beginning with ``= + - @`` (or a tab or carriage return) gets
a leading apostrophe, which Excel and LibreOffice show as plain text. Numbers stay numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported where a frame is made, not with this module
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, or text that cannot start a formula (strings only; numbers are untouched)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell (and column label) passed through ``safe_cell``."""
    import pandas as pd

    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def german_excel_default(choice: str | None = None) -> bool:
    """Whether a CSV is written in the form German Excel opens directly (semicolon, decimal
    comma): asked for with ``choice`` ("de"/"intl"), else for users whose language is German."""
    from django.utils import translation

    if choice in ("de", "intl"):
        return choice == "de"
    return (translation.get_language() or "").startswith("de")


def csv_bytes(df: pd.DataFrame, *, german: bool | None = None) -> bytes:
    """The frame as CSV, formula-safe, UTF-8 with BOM. German Excel form (``;`` and decimal
    comma) by default for German users; comma and decimal point otherwise."""
    german = german_excel_default() if german is None else german
    sep, decimal = (";", ",") if german else (",", ".")
    return safe_frame(df).to_csv(index=False, sep=sep, decimal=decimal).encode("utf-8-sig")


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: no ``[]:*?/\\``, at most 31 characters."""
    import re

    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31]


def workbook_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An XLSX file, one formula-safe sheet per frame, header row frozen, columns sized to their
    content (up to 60 characters). Every XLSX export of the project is written here."""
    import io

    import pandas as pd

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        for title, df in sheets.items():
            name = _sheet_title(title)
            frame = safe_frame(df)
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for i, column in enumerate(frame.columns, start=1):
                width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
                letter = sheet.cell(row=1, column=i).column_letter
                sheet.column_dimensions[letter].width = min(width + 2, 60)
            sheet.freeze_panes = "A2"
    return buf.getvalue()
