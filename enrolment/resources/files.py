"""Reading a learner file: encodings, separators, column names as offices write them."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from people.models import Learner
from people.resources import cell_text

#: Learner fields a file may set, in the order the preview lists changes.
FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "gender",
    "phone",
    "email",
    "preferred_language",
    "bamf_number",
    "street",
    "postcode",
    "town",
    "nationality",
    "native_language",
)
REQUIRED = ("first_name", "last_name", "date_of_birth")
EXTRA = ("course", "module")

#: Column names offices use besides the field names and labels (normalised, see ``_norm``).
ALIASES = {
    "vorname": "first_name",
    "nachname": "last_name",
    "familienname": "last_name",
    "geburtsdatum": "date_of_birth",
    "geb_datum": "date_of_birth",
    "geb_dat": "date_of_birth",
    "geboren": "date_of_birth",
    "birth_date": "date_of_birth",
    "birthday": "date_of_birth",
    "geschlecht": "gender",
    "telefon": "phone",
    "telefonnummer": "phone",
    "tel": "phone",
    "handy": "phone",
    "mobil": "phone",
    "mobile": "phone",
    "mail": "email",
    "e_mail": "email",
    "e_mail_adresse": "email",
    "sprache": "preferred_language",
    "language": "preferred_language",
    "kennziffer": "bamf_number",
    "bamf_kennziffer": "bamf_number",
    "bamf_nummer": "bamf_number",
    "teilnehmernummer": "bamf_number",
    "strasse": "street",
    "plz": "postcode",
    "postleitzahl": "postcode",
    "ort": "town",
    "wohnort": "town",
    "stadt": "town",
    "city": "town",
    "staatsangehoerigkeit": "nationality",
    "muttersprache": "native_language",
    "erstsprache": "native_language",
    "kurs": "course",
    "kursnummer": "course",
    "modul": "module",
}

GENDER_WORDS = {
    "f": "f",
    "w": "f",
    "weiblich": "f",
    "female": "f",
    "frau": "f",
    "m": "m",
    "männlich": "m",
    "maennlich": "m",
    "male": "m",
    "mann": "m",
    "d": "d",
    "divers": "d",
    "diverse": "d",
    "x": "x",
    "keine_angabe": "x",
    "ohne_angabe": "x",
}

_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2})$"), ("d", "m", "yy")),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), ("d", "m", "y")),
)


class FileProblem(Exception):
    """The file as a whole cannot be read; the message says what to change."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class DateProblem(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- reading the file --------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]
    encoding: str = ""
    delimiter: str = ""


def decode(content: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding.

    UTF-8 with BOM, UTF-16 with BOM, UTF-8; otherwise Windows-1252 (what Excel writes as
    "CSV (Trennzeichen-getrennt)" on German Windows)."""
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16"), "UTF-16"
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        raise FileProblem(
            _(
                "The file is neither UTF-8 nor Windows-1252 text (byte %(position)d cannot be "
                "read). In Excel choose “Save as” → “CSV UTF-8 (Comma delimited)”, or upload the "
                "XLSX file itself."
            )
            % {"position": exc.start + 1},
            code="import_encoding",
        ) from exc


def sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_table(content: bytes, file_format: str) -> Table:
    if file_format == "xlsx":
        return _read_xlsx(content)
    text, encoding = decode(content)
    first, _newline, rest = text.partition("\n")
    if re.fullmatch(r"sep=(.)\r?", first.strip("\ufeff")):  # Excel's separator hint line
        delimiter, text = first.strip("\ufeff")[4], rest
    else:
        delimiter = sniff_delimiter(text)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise FileProblem(
            _("Line %(line)s of the file is not valid CSV: %(error)s.")
            % {"line": getattr(exc, "line_num", "?"), "error": exc},
            code="import_unreadable",
        ) from exc
    lines = [line for line in lines if any(cell.strip() for cell in line)]
    if not lines:
        raise FileProblem(_("The file is empty."), code="import_empty")
    return Table(lines[0], lines[1:], encoding=encoding, delimiter=delimiter)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        lines = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    except Exception as exc:
        raise FileProblem(
            _("The file cannot be read as XLSX. Save it again in Excel as “Excel workbook”."),
            code="import_unreadable",
        ) from exc
    lines = [line for line in lines if any(cell_text(c) for c in line)]
    if not lines:
        raise FileProblem(_("The file is empty."), code="import_empty")
    return Table([cell_text(h) for h in lines[0]], lines[1:])


def _norm(text: str) -> str:
    text = str(text or "").strip().casefold()
    text = text.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return re.sub(r"\W+", "_", text).strip("_")


def column_names() -> dict[str, str]:
    """Every accepted column name (normalised) → field."""
    names: dict[str, str] = {}
    for name in (*FIELDS, *EXTRA):
        names[_norm(name)] = name
        if name in FIELDS:
            for language in ("de", "en"):
                with translation.override(language):
                    names.setdefault(_norm(str(Learner._meta.get_field(name).verbose_name)), name)
    for alias, name in ALIASES.items():
        names.setdefault(alias, name)
    return names


def field_label(name: str) -> str:
    if name in FIELDS:
        return str(capfirst(Learner._meta.get_field(name).verbose_name))
    return {"course": _("Course"), "module": _("Module")}[name]
