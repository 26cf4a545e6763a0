"""Attendance pages: teacher home, register and sign-off, rotating QR, card scanning, the
learner's check-in, staff corrections and evidence, BAMF PDFs and learner cards."""

from attendance.documents import SHEET_SIZE
from attendance.views.checkin import checkin
from attendance.views.common import TOKEN_MESSAGES
from attendance.views.documents import module_list_pdf, signature_sheet_pdf
from attendance.views.staff import (
    alerts,
    card_issue,
    card_pdf,
    card_revoke,
    course_cards_pdf,
    evidence_download,
    evidence_upload,
    learner_attendance,
    record_correct,
    report_decide,
    report_evidence_download,
)
from attendance.views.teacher import (
    SCAN_CSP,
    checkin_url,
    course_overview,
    qr_screen,
    register,
    register_mark,
    register_sign,
    scan,
    teacher_home,
)

__all__ = [
    "SCAN_CSP",
    "SHEET_SIZE",
    "TOKEN_MESSAGES",
    "alerts",
    "card_issue",
    "card_pdf",
    "card_revoke",
    "checkin",
    "checkin_url",
    "course_cards_pdf",
    "course_overview",
    "evidence_download",
    "evidence_upload",
    "learner_attendance",
    "module_list_pdf",
    "qr_screen",
    "record_correct",
    "register",
    "register_mark",
    "register_sign",
    "report_decide",
    "report_evidence_download",
    "scan",
    "signature_sheet_pdf",
    "teacher_home",
]
