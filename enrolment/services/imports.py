"""Learner import from CSV/XLSX: a dry-run preview first, then the import of what was previewed."""

from __future__ import annotations

from typing import NoReturn

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.services.base import EnrolmentError
from people.models import Organisation, User

IMPORT_FORMATS = ("csv", "xlsx")


def _dataset(content: bytes, file_format: str):
    import tablib

    if file_format not in IMPORT_FORMATS:
        raise EnrolmentError(_("Upload a CSV or XLSX file."), code="import_format", field="file")
    if file_format == "csv" and content.count(b"\n") > settings.IMPORT_MAX_ROWS + 1:
        _too_many_rows()  # counted before parsing: a huge file never reaches the parser
    try:
        if file_format == "csv":
            text = content.decode("utf-8-sig")
            first = text.split("\n", 1)[0]
            delimiter = ";" if first.count(";") > first.count(",") else ","
            dataset = tablib.Dataset().load(text, format="csv", delimiter=delimiter)
        else:
            dataset = tablib.Dataset().load(content, format="xlsx")
    except Exception as exc:
        raise EnrolmentError(
            _("The file cannot be read as %(format)s.") % {"format": file_format.upper()},
            code="import_unreadable",
            field="file",
        ) from exc
    if dataset.height > settings.IMPORT_MAX_ROWS:
        _too_many_rows()
    return dataset


def _too_many_rows() -> NoReturn:
    raise EnrolmentError(
        _("The file has more than %(limit)d rows. Split it and import the parts one after another.")
        % {"limit": settings.IMPORT_MAX_ROWS},
        code="import_too_many_rows",
        field="file",
    )


def _import(*, provider: Organisation, by: User | None, dataset, dry_run: bool):
    from enrolment.resources import LearnerResource

    resource = LearnerResource(provider=provider, by=by)
    return resource.import_data(dataset, dry_run=dry_run, raise_errors=False, use_transactions=True)


def _summary(result) -> dict:
    from enrolment.resources import row_problems

    totals = dict(result.totals)
    return {
        "new": totals.get("new", 0),
        "update": totals.get("update", 0),
        "unchanged": totals.get("skip", 0),
        "invalid": totals.get("invalid", 0) + totals.get("error", 0),
        "problems": row_problems(result),
    }


def learner_import_preview(
    *, provider: Organisation, by: User | None, file_name: str, content: bytes
):
    """Dry run of an uploaded learner file: nothing is written except the held file itself.

    Returns the held batch and a summary with counts and row problems in plain words.
    """
    from enrolment.models import LearnerImport

    file_format = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    dataset = _dataset(content, file_format)
    with transaction.atomic():
        result = _import(provider=provider, by=by, dataset=dataset, dry_run=True)
    summary = _summary(result)
    batch = LearnerImport.objects.create(
        provider=provider,
        file_name=file_name[:200],
        file_format=file_format,
        content=content,
        created_by=by,
        summary=summary,
    )
    return batch, summary


@transaction.atomic
def learner_import_run(*, batch, by: User | None, only_valid: bool = False) -> dict:
    """Import a previewed file. With problems, nothing is written unless staff chose to import
    only the valid rows; importing the same file again updates the same learners."""
    from enrolment.models import LearnerImport

    batch = LearnerImport.objects.select_for_update().get(pk=batch.pk)
    if batch.imported_at is not None:
        return batch.summary
    dataset = _dataset(bytes(batch.content), batch.file_format)
    skipped = sorted(p["row"] for p in batch.summary.get("problems", []))
    if skipped and not only_valid:
        raise EnrolmentError(
            _("Some rows have problems: correct the file or import only the valid rows."),
            code="import_invalid",
        )
    if skipped:
        keep = dataset.__class__(headers=dataset.headers)
        for line, row in enumerate(dataset, start=2):
            if line not in skipped:
                keep.append(row)
        dataset = keep
    result = _import(provider=batch.provider, by=by, dataset=dataset, dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        # the data changed since the preview: nothing was written, preview again
        raise EnrolmentError(
            _("The learners changed since the preview; please upload the file again."),
            code="import_stale",
        )
    done = _summary(result)
    done["skipped_rows"] = skipped
    batch.imported_at = timezone.now()
    batch.summary = done
    batch.content = b""
    batch.save(update_fields=["imported_at", "summary", "content"])
    return done
