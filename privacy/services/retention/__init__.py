"""The retention job: delete or anonymise what is due, keep what a legal hold covers.

Every model declares its retention (``core.retention``); the periods are rule data
(``RetentionRule``, tightened per provider by ``ProviderRetentionRule``). ``retention_run`` walks
the declarations, rows that point at others first, and for each one finds the rows whose
period is over and that no active legal hold covers. Those are deleted, or anonymised where
reports still count them (the declaration says which fields to clear), in batches of
``BATCH_SIZE``, one transaction per batch. Rows that follow an owner go with it. The learner
record goes last: only once nothing about the learner in another class is still kept.

A second run on the same day finds nothing: deleted rows are gone and anonymised rows match
their anonymised values. The deletion log gets class, kind of record, action and count per
provider, never an id or a name. The audit log's entries of what was deleted or anonymised go
too (they carry the old values).
"""

from privacy.services.retention.due import (
    ANCHOR,
    Context,
    Cutoffs,
    HoldScope,
    annotated,
    done,
    due,
    held,
    held_count,
    period_over,
)
from privacy.services.retention.job import RetentionLine, RetentionReport, retention_run
from privacy.services.retention.rows import (
    ANONYMISED,
    DELETED,
    Tally,
    anonymise_rows,
    delete_rows,
    forget_audit,
)

__all__ = [
    "ANCHOR",
    "ANONYMISED",
    "DELETED",
    "Context",
    "Cutoffs",
    "HoldScope",
    "RetentionLine",
    "RetentionReport",
    "Tally",
    "annotated",
    "anonymise_rows",
    "delete_rows",
    "done",
    "due",
    "forget_audit",
    "held",
    "held_count",
    "period_over",
    "retention_run",
]
