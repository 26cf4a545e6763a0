"""The BAMF attendance register: one code per enrolled learner per course day.

Around it: the absence-reason catalogue and evidence, the teacher's sign-off that locks a day,
staff corrections after the lock, learner cards for check-in, and alert rules with their alerts."""

from __future__ import annotations

from attendance.models.absence import (
    REPORT_REASON_CATALOGUE,
    AbsenceEvidence,
    AbsenceReport,
    evidence_path,
    report_evidence_path,
)
from attendance.models.alerts import (
    Alert,
    AlertRule,
)
from attendance.models.cards import (
    LearnerCard,
    LearnerCardQuerySet,
)
from attendance.models.register import (
    COURSE_END,
    REASON_LABELS,
    SELF_METHODS,
    AbsenceReason,
    AttendanceRecord,
    CheckinFlag,
    Code,
    Method,
    evidence_decided_on,
    reason_label,
)
from attendance.models.signoff import (
    AttendanceCorrection,
    SessionSignOff,
)

__all__ = [
    "COURSE_END",
    "REASON_LABELS",
    "REPORT_REASON_CATALOGUE",
    "SELF_METHODS",
    "AbsenceEvidence",
    "AbsenceReason",
    "AbsenceReport",
    "Alert",
    "AlertRule",
    "AttendanceCorrection",
    "AttendanceRecord",
    "CheckinFlag",
    "Code",
    "LearnerCard",
    "LearnerCardQuerySet",
    "Method",
    "SessionSignOff",
    "evidence_decided_on",
    "evidence_path",
    "reason_label",
    "report_evidence_path",
]
