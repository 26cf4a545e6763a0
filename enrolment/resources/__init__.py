"""Learner files (CSV/XLSX) as offices write them, read into a plan of rows before anything is written.

Reading: CSV in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or Windows-1252
(Excel's "CSV (Trennzeichen-getrennt)"), separated by semicolon, comma or tab; XLSX. Column
names may be the English field names or the German or English labels ("Nachname",
"Geburtsdatum", "PLZ"). Dates as 31.12.1990, 31.12.90, 1990-12-31 or 31/12/1990.

Matching: a row is the same person as an existing learner of the provider when the BAMF
participant number matches, or else first name, last name and birth date match; importing a
file again therefore updates those learners instead of creating duplicates. An empty cell keeps
what is stored. Optional columns ``course`` (BAMF course number or id) and ``module`` (number)
enrol the learner through ``enrolment_create``.

Each row becomes a :class:`PlannedRow`: new, changed (with its changes), unchanged or invalid
(with its errors, each beginning with the field's label in the reader's language)."""

from __future__ import annotations

from enrolment.resources.files import (
    ALIASES,
    EXTRA,
    FIELDS,
    GENDER_WORDS,
    REQUIRED,
    DateProblem,
    FileProblem,
    Table,
    column_names,
    decode,
    field_label,
    read_table,
    sniff_delimiter,
)
from enrolment.resources.plan import (
    Plan,
    PlannedRow,
    plan,
)
from enrolment.resources.values import (
    display,
    natural_keys,
    parse_date,
    raw_text,
)

__all__ = [
    "ALIASES",
    "EXTRA",
    "FIELDS",
    "GENDER_WORDS",
    "REQUIRED",
    "DateProblem",
    "FileProblem",
    "Plan",
    "PlannedRow",
    "Table",
    "column_names",
    "decode",
    "display",
    "field_label",
    "natural_keys",
    "parse_date",
    "plan",
    "raw_text",
    "read_table",
    "sniff_delimiter",
]
