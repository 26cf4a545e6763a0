"""The contexts of the BAMF documents printed from the register (the daily signature sheet and
the attendance list per module), shared by the register's own prints and billing's print job so
that both print the very same pages."""

from __future__ import annotations

import math
from typing import Any

from attendance.selectors import ModuleRegister, RegisterRow, is_locked
from courses.models import Course, Module, Session

SHEET_SIZE = 16  # BAMF: at most 16 learners per signature sheet
DAYS_PER_PAGE = 20  # course days per page of the attendance list


def signature_sheets_context(days: list[dict[str, Any]]) -> dict[str, Any]:
    """``attendance/pdf/signature_sheet.html`` for one or more course days (each from
    ``signature_sheet_day``): one document, so a module's days render in one pass."""
    return {"days": days}


def signature_sheet_day(*, session: Session, rows: list[RegisterRow]) -> dict[str, Any]:
    """One course day of the signature sheets: the day's learners (``register_rows``) on sheets
    of at most 16."""
    sheets = [rows[i : i + SHEET_SIZE] for i in range(0, len(rows), SHEET_SIZE)] or [[]]
    return {
        "session": session,
        "course": session.course,
        "sheets": [
            {"number": n + 1, "offset": n * SHEET_SIZE, "rows": sheet}
            for n, sheet in enumerate(sheets)
        ],
        "sheet_count": len(sheets),
        "locked": is_locked(session),
    }


def module_list_context(*, course: Course, module: Module, data: ModuleRegister) -> dict[str, Any]:
    """``attendance/pdf/module_list.html``: the module's register (``module_register``) with
    20 course days a page."""
    day_pages = [
        data.sessions[i : i + DAYS_PER_PAGE] for i in range(0, len(data.sessions), DAYS_PER_PAGE)
    ] or [[]]
    return {
        "course": course,
        "module": module,
        "data": data,
        "pages": [
            {
                "sessions": page,
                "rows": [
                    {"row": row, "cells": [row.cells.get(s.pk, "") for s in page]}
                    for row in data.rows
                ],
            }
            for page in day_pages
        ],
        "page_count": math.ceil(len(data.sessions) / DAYS_PER_PAGE) or 1,
    }
