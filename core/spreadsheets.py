"""Cells for CSV and XLSX exports that spreadsheet software will not run as formulas.

A learner's name or note typed as ``=HYPERLINK(...)`` or ``@SUM(...)`` would otherwise become a
formula when staff open the export (CSV/formula injection). Every export writes its cells through
``safe_cell`` / ``safe_frame``: text beginning with ``= + - @`` (or a tab or carriage return) gets
a leading apostrophe, which Excel and LibreOffice show as plain text. Numbers stay numbers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value``, or text that cannot start a formula (strings only; numbers are untouched)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell (and column label) passed through ``safe_cell``."""
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out
