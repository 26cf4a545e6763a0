"""The record of processing activities (Art. 30 GDPR; § 31 DSG-EKD; § 31 KDG) as an XLSX
workbook, generated from the models' retention declarations and the provider's settings: one
processing activity per retention class, with the kinds of records and their fields, the
purpose, whose data, the recipients, the period in force for the provider and its legal source.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _

from core.spreadsheets import safe_cell
from people.models import Organisation
from privacy.classes import info
from privacy.declarations import all_declared, is_primary
from privacy.notices import law_text
from privacy.selectors import privacy_settings
from privacy.services.settings import class_periods


def _records_by_class() -> dict[str, list[str]]:
    """Per class: the kinds of record declared in it, each with its fields."""
    found: dict[str, list[str]] = defaultdict(list)
    for d in all_declared():
        if is_primary(d) or d.retention.anonymise is None:
            fields = [
                str(f.verbose_name)
                for f in d.model._meta.concrete_fields
                if not f.primary_key and not f.name.endswith("_hash")
            ]
        else:  # a later declaration of the model: only the fields it clears early
            fields = [str(d.model._meta.get_field(n).verbose_name) for n in d.retention.anonymise]
        entry = f"{d.model._meta.verbose_name_plural}: {', '.join(fields)}"
        if entry not in found[d.retention.key]:
            found[d.retention.key].append(entry)
    return found


def processing_record_xlsx(provider: Organisation, *, on: date | None = None) -> bytes:
    from openpyxl import Workbook  # imported here: not loaded with the URLs
    from openpyxl.styles import Alignment, Font

    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    on = on or timezone.localdate()
    text = law_text(provider.data_protection_regime)
    settings = privacy_settings(provider)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Controller")[:31]
    rows = [
        (str(text.record_heading), ""),
        (_("Controller"), provider.name),
        (_("e-mail"), provider.email),
        (_("phone"), provider.phone),
        (_("Data protection law"), str(text.law)),
        (_("Data-protection officer"), settings.dpo_name),
        (_("Contact of the data-protection officer"), _contact(settings)),
        (_("Supervisory authority"), settings.supervisory_authority or str(text.authority)),
        (_("Legal basis"), str(text.basis)),
        (_("The provider's own text"), provider.legal_basis_text),
        (_("As of"), on.isoformat()),
    ]
    for row in rows:
        sheet.append([safe_cell(str(cell)) for cell in row])
    sheet["A1"].font = bold
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 100
    for cell in sheet["B"]:
        cell.alignment = wrap

    activities = book.create_sheet(_("Processing activities")[:31])
    header = [
        _("Processing activity"),
        _("Purpose"),
        _("Data subjects"),
        _("Kinds of records and data"),
        _("Recipients"),
        _("Deleted"),
        _("Legal duty to keep"),
        _("Legal source of the period"),
        _("Class"),
    ]
    activities.append([str(h) for h in header])
    records = _records_by_class()
    for item in class_periods(provider=provider, on=on):
        described = info(item.key)
        if item.period is None:
            deleted = str(described.runs_from)
        else:
            deleted = f"{item.period.label()} {described.runs_from}"
            if item.tightened:
                deleted += " " + _("(shortened by the provider)")
        activities.append(
            [
                safe_cell(v)
                for v in (
                    str(described.name),
                    str(described.purpose),
                    str(described.subjects),
                    "\n".join(records.get(item.key, [])) or _("(no records yet)"),
                    str(described.recipients),
                    deleted,
                    _("yes") if item.rule.legal_duty else _("no"),
                    item.rule.legal_source,
                    item.key,
                )
            ]
        )
    for cell in activities[1]:
        cell.font = bold
    widths = [30, 45, 20, 80, 30, 30, 12, 45, 22]
    for index, width in enumerate(widths):
        activities.column_dimensions[chr(ord("A") + index)].width = width
    for row in activities.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    measures = book.create_sheet(_("Technical measures")[:31])
    for line in TECHNICAL_MEASURES:
        measures.append([safe_cell(str(line))])
    measures.column_dimensions["A"].width = 120
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _contact(settings) -> str:
    return " · ".join(
        x for x in [settings.dpo_email, settings.dpo_phone, settings.dpo_address] if x
    )


#: What the system itself does (Art. 32 GDPR); the provider adds its own organisational ones.
TECHNICAL_MEASURES = [
    _("Access by role: staff see only their own provider's data; teachers only their courses."),
    _("Outside parties (Jobcenter) see a learner only with a legal basis; every read is logged."),
    _("Transport encryption (HTTPS with HSTS); secure, HTTP-only session cookies."),
    _("Changes to learner records are audited (who, when, old and new value)."),
    _("Retention periods are enforced by a daily deletion job with a deletion log."),
    _("Legal holds stop deletion during court cases or audits; they are audited."),
    _("Erasure requests restrict what must be kept: only the data-protection officer sees it."),
]
