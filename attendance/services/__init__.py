"""Writes to the attendance register: check-ins, the teacher's marks and sign-off, corrections,
cards, evidence, internship days and alerts. Pages, API, admin and tasks all call these."""

from attendance.rules import (
    CERTIFICATE_FROM_DAY,
    CHECKIN_OPENS_BEFORE,
    KOMMT_GEHT_TOLERANCE,
    checkin_window,
    ue_attended_for,
)
from attendance.services.absence import (
    EVIDENCE_MAX_BYTES,
    MAX_REPORT_DAYS,
    absence_report_create,
    absence_report_decide,
    absence_report_evidence_add,
    evidence_check,
)
from attendance.services.alerts import evaluate_alerts, evaluate_all_alerts
from attendance.services.base import AttendanceError, now, today
from attendance.services.cards import card_issue, card_revoke, cards_ensure
from attendance.services.checkin import CheckinResult, card_checkin, checkin_record
from attendance.services.internship_days import register_internship_days
from attendance.services.register import day_sign, evidence_add, record_set, register_import

__all__ = [
    "CERTIFICATE_FROM_DAY",
    "CHECKIN_OPENS_BEFORE",
    "EVIDENCE_MAX_BYTES",
    "KOMMT_GEHT_TOLERANCE",
    "MAX_REPORT_DAYS",
    "AttendanceError",
    "CheckinResult",
    "absence_report_create",
    "absence_report_decide",
    "absence_report_evidence_add",
    "card_checkin",
    "card_issue",
    "card_revoke",
    "cards_ensure",
    "checkin_record",
    "checkin_window",
    "day_sign",
    "evaluate_alerts",
    "evaluate_all_alerts",
    "evidence_add",
    "evidence_check",
    "now",
    "record_set",
    "register_import",
    "register_internship_days",
    "today",
    "ue_attended_for",
]
