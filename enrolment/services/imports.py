"""Learner import from CSV/XLSX: a preview of every row first, then the import of what was
previewed.

The preview only reads (no transaction, no lock). The import checks that the plan is still what
the preview showed, then writes in short batches (``IMPORT_BATCH_SIZE`` rows, one transaction
each, locking only the learners of the batch), so check-ins and other staff work are not held up
by a large file. Importing the same file again updates the same learners; rows already imported
then show as unchanged.
"""

from __future__ import annotations

from typing import NoReturn

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from enrolment.services.base import EnrolmentError
from people.models import Learner, Organisation, User

IMPORT_FORMATS = ("csv", "xlsx")
IMPORT_BATCH_SIZE = 100  # a write transaction stays well under the 100 ms a check-in may wait


def _table(content: bytes, file_format: str):
    from enrolment.resources import FileProblem, read_table

    if file_format not in IMPORT_FORMATS:
        raise EnrolmentError(_("Upload a CSV or XLSX file."), code="import_format", field="file")
    if file_format == "csv" and content.count(b"\n") > settings.IMPORT_MAX_ROWS + 1:
        _too_many_rows()  # counted before parsing: a huge file never reaches the parser
    try:
        table = read_table(content, file_format)
    except FileProblem as exc:
        raise EnrolmentError(exc.message, code=exc.code, field="file") from exc
    if len(table.rows) > settings.IMPORT_MAX_ROWS:
        _too_many_rows()
    return table


def _too_many_rows() -> NoReturn:
    raise EnrolmentError(
        _("The file has more than %(limit)d rows. Split it and import the parts one after another.")
        % {"limit": settings.IMPORT_MAX_ROWS},
        code="import_too_many_rows",
        field="file",
    )


def _plan(*, provider: Organisation, content: bytes, file_format: str):
    from enrolment.resources import FileProblem, plan

    table = _table(content, file_format)
    try:
        return plan(provider=provider, table=table)
    except FileProblem as exc:
        raise EnrolmentError(exc.message, code=exc.code, field="file") from exc


def learner_import_preview(
    *, provider: Organisation, by: User | None, file_name: str, content: bytes
):
    """Read an uploaded learner file and say what importing it would do, row by row.

    Nothing is written except the held file itself; no lock is taken. Returns the held batch
    and its summary (counts, and every row: new, changed with its changes, unchanged, invalid
    with its errors)."""
    from enrolment.models import LearnerImport

    file_format = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    summary = _plan(provider=provider, content=content, file_format=file_format).summary()
    batch = LearnerImport.objects.create(
        provider=provider,
        file_name=file_name[:200],
        file_format=file_format,
        content=content,
        created_by=by,
        summary=summary,
    )
    return batch, summary


def _stale(rows: list[int]) -> NoReturn:
    raise EnrolmentError(
        _(
            "Rows %(rows)s would now be imported differently than the preview showed (someone "
            "changed these learners meanwhile). Nothing was written; upload the file again to "
            "see the new preview."
        )
        % {"rows": ", ".join(str(r) for r in rows[:20]) + (" …" if len(rows) > 20 else "")},
        code="import_stale",
    )


def learner_import_run(*, batch, by: User | None, only_valid: bool = False) -> dict:
    """Import a previewed file.

    With invalid rows nothing is written unless staff chose to import only the valid rows. The
    file is read again and compared with the preview: if a row would now do something else
    (a learner changed or appeared meanwhile), nothing is written. Then the rows are written
    in batches of ``IMPORT_BATCH_SIZE``, each in its own short transaction."""
    from enrolment.models import LearnerImport

    # claim the batch: a second click (or a second tab) finds it taken and returns
    claimed = LearnerImport.objects.filter(pk=batch.pk, imported_at__isnull=True).update(
        imported_at=timezone.now()
    )
    batch = LearnerImport.objects.get(pk=batch.pk)
    if not claimed:
        return batch.summary
    try:
        done = _run(batch=batch, by=by, only_valid=only_valid)
    except BaseException:
        LearnerImport.objects.filter(pk=batch.pk).update(imported_at=None)
        raise
    batch.summary = done
    batch.content = b""
    batch.save(update_fields=["summary", "content"])
    return done


def _run(*, batch, by: User | None, only_valid: bool) -> dict:
    preview = batch.summary
    skipped = sorted(p["row"] for p in preview.get("problems", []))
    if skipped and not only_valid:
        raise EnrolmentError(
            _("Some rows have problems: correct the file or import only the valid rows."),
            code="import_invalid",
        )
    now = _plan(
        provider=batch.provider, content=bytes(batch.content), file_format=batch.file_format
    )
    previewed = {r["row"]: r for r in preview.get("rows", [])}
    differ = [
        r.row
        for r in now.rows
        if r.row not in previewed
        or r.fingerprint()
        != (
            previewed[r.row]["row"],
            previewed[r.row]["kind"],
            previewed[r.row]["learner"],
            tuple((c["field"], *c.get("raw", ())) for c in previewed[r.row]["changes"]),
        )
    ]
    if differ:
        _stale(differ)
    todo = [r for r in now.rows if r.kind in ("new", "changed")]
    notes: list[dict] = []
    for start in range(0, len(todo), IMPORT_BATCH_SIZE):
        notes += _write(todo[start : start + IMPORT_BATCH_SIZE], provider=batch.provider, by=by)
    summary = now.summary()
    summary["skipped_rows"] = skipped
    summary["enrolment_problems"] = notes
    return summary


@transaction.atomic
def _write(rows, *, provider: Organisation, by: User | None) -> list[dict]:
    """One batch: lock its known learners, check they are as planned, update, create, enrol."""
    from enrolment.resources import FIELDS
    from enrolment.services.seats import enrolment_create

    stamp = timezone.now()
    today = timezone.localdate()
    ids = sorted(r.learner.pk for r in rows if r.learner is not None)
    current = {
        learner.pk: learner
        for learner in Learner.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    changed_fields: set[str] = set()
    updates = []
    for row in rows:
        if row.learner is None:
            continue
        learner = current.get(row.learner.pk)
        planned = [c["field"] for c in row.changes if c["field"] in FIELDS]
        if learner is None or any(
            getattr(learner, name) != getattr(row.learner, name) for name in planned
        ):
            # changed between the check and this batch: this batch is rolled back, the
            # batches before it stay (importing the file again shows them as unchanged)
            raise EnrolmentError(
                _(
                    "Row %(row)s was changed by someone else during the import. The rows before "
                    "row %(first)s were imported; upload the file again to import the rest "
                    "(the imported rows then show as unchanged)."
                )
                % {"row": row.row, "first": rows[0].row},
                code="import_stale",
            )
        for name in planned:
            setattr(learner, name, row.values[name])
            changed_fields.add(name)
        if planned:
            learner.updated_at = stamp
            updates.append(learner)
        row.learner = learner
    if updates:
        Learner.objects.bulk_update(updates, [*sorted(changed_fields), "updated_at"])
    created = [
        Learner(provider=provider, registered_on=today, **row.values)
        for row in rows
        if row.learner is None
    ]
    Learner.objects.bulk_create(created)
    fresh = iter(created)
    new_rows = []
    for row in rows:
        if row.learner is None:
            row.learner = next(fresh)
            new_rows.append(row)
    _audit(rows, new_rows, by=by, stamp=stamp)
    problems = []
    for row in rows:
        if row.course is None:
            continue
        module = None
        if row.module:
            module = next((m for m in row.course.modules_to_teach() if m.order == row.module), None)
        try:
            with transaction.atomic():
                enrolment_create(course=row.course, learner=row.learner, module=module, by=by)
        except DomainError as exc:
            problems.append({"row": row.row, "messages": [exc.message]})
    return problems


def _audit(rows, new_rows, *, by: User | None, stamp) -> None:
    """The learner audit log (``auditlog``, which bulk writes bypass): one entry per created or
    changed learner, written in one query per batch."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Learner)
    created_ids = {id(r) for r in new_rows}
    entries = []
    for row in rows:
        learner = row.learner
        if id(row) in created_ids:
            action = LogEntry.Action.CREATE
            changes = {n: ["None", str(v)] for n, v in row.values.items()}
        else:
            action = LogEntry.Action.UPDATE
            changes = {
                c["field"]: [c["old"], c["new"]] for c in row.changes if c["field"] != "course"
            }
            if not changes:
                continue
        entries.append(
            LogEntry(
                content_type=content_type,
                object_pk=str(learner.pk),
                object_id=learner.pk,
                object_repr=str(learner),
                action=action,
                changes=changes,
                actor=by,
                timestamp=stamp,
                additional_data={"source": "learner import"},
            )
        )
    LogEntry.objects.bulk_create(entries)
