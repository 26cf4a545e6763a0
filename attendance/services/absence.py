"""Absence reports by learners: the notice (today or coming days), its evidence from the phone
camera, and the office's decision that writes E or U to the register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypedDict

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.models import (
    REPORT_REASON_CATALOGUE,
    AbsenceReason,
    AbsenceReport,
    Code,
)
from attendance.rules import CERTIFICATE_FROM_DAY
from attendance.selectors import illness_days_in_row
from attendance.services.base import AttendanceError, note_checked, today
from attendance.services.register import record_set
from core.errors import PermissionDeniedError
from courses.models import Session
from enrolment.models import Enrolment
from people.models import Learner, Role, User

#: A report covers at most this many calendar days (longer absences go through the office).
MAX_REPORT_DAYS = 31
#: Evidence files: a phone photo or a scanned PDF, at most this large.
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}


def evidence_check(file: UploadedFile) -> None:
    """Refuse what is not a photo or a PDF, or is too large, with words a learner understands.

    The type is read from the content (Pillow opens the image; a PDF starts with ``%PDF-``), not
    from the name or the browser's claim.
    """
    size = file.size or 0  # Django sets it for every upload
    if size > EVIDENCE_MAX_BYTES:
        raise AttendanceError(
            _(
                "The file is too large (%(size)s MB). Send a file up to %(max)s MB, "
                "for example a photo in lower quality."
            )
            % {
                "size": f"{size / 1024 / 1024:.1f}",
                "max": EVIDENCE_MAX_BYTES // 1024 // 1024,
            },
            code="file_too_large",
            field="evidence",
        )
    file.seek(0)
    head = file.read(5)
    file.seek(0)
    if head == b"%PDF-":
        return
    from PIL import Image, UnidentifiedImageError  # only where evidence is uploaded

    try:
        with Image.open(file) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = None
    finally:
        file.seek(0)
    if kind not in EVIDENCE_IMAGE_FORMATS:
        raise AttendanceError(
            _("This file cannot be used. Send a photo (JPG or PNG) or a PDF."),
            code="file_type",
            field="evidence",
        )


@dataclass(frozen=True)
class CourseDay:
    session: Session
    enrolment: Enrolment


def _course_days(*, learner: Learner, first_day: date, last_day: date) -> list[CourseDay]:
    """Held course days in the range on which the learner is enrolled (two queries)."""
    enrolments = {
        e.course_id: e
        for e in Enrolment.objects.filter(learner=learner, status=Enrolment.Status.ENROLLED)
    }
    sessions = (
        Session.objects.held()
        .filter(course_id__in=list(enrolments), date__gte=first_day, date__lte=last_day)
        .order_by("date", "start_time")
    )
    days = []
    for session in sessions:
        enrolment = enrolments[session.course_id]
        started = enrolment.start_date is None or enrolment.start_date <= session.date
        if started and (enrolment.ended_on is None or enrolment.ended_on >= session.date):
            days.append(CourseDay(session, enrolment))
    return days


@transaction.atomic
def absence_report_create(
    *,
    learner: Learner,
    first_day: date,
    last_day: date | None,
    reason: str,
    by: User,
    note: str = "",
    evidence: UploadedFile | None = None,
) -> AbsenceReport:
    """The learner reports that they will miss (or are missing today) their course days.

    Only today and coming days, at most ``MAX_REPORT_DAYS`` days, and only when the learner has
    a course day in the range; days already reported are refused. From the fourth course day of
    illness in a row a medical certificate is needed (DESIGN.md §2). The learner row is locked, so
    two taps on "send" make one report.
    """
    Learner.objects.select_for_update(of=("self",)).filter(pk=learner.pk).first()
    last_day = last_day or first_day
    if reason not in AbsenceReport.Reason.values:
        raise AttendanceError(_("Choose a reason."), code="reason_required", field="reason")
    if first_day < today():
        raise AttendanceError(
            _("You can report today or coming days. For past days, talk to the course office."),
            code="past_day",
            field="first_day",
        )
    if last_day < first_day:
        raise AttendanceError(
            _("The last day cannot be before the first day."),
            code="last_before_first",
            field="last_day",
        )
    if last_day - first_day >= timedelta(days=MAX_REPORT_DAYS):
        raise AttendanceError(
            _("You can report up to %(days)s days at once. For longer, talk to the course office.")
            % {"days": MAX_REPORT_DAYS},
            code="too_long",
            field="last_day",
        )
    if not _course_days(learner=learner, first_day=first_day, last_day=last_day):
        raise AttendanceError(
            _("You have no course on these days."), code="no_course_day", field="first_day"
        )
    if AbsenceReport.objects.filter(
        learner=learner, first_day__lte=last_day, last_day__gte=first_day
    ).exists():
        raise AttendanceError(
            _("You have already reported these days."), code="already_reported", field="first_day"
        )
    if evidence is not None:
        evidence_check(evidence)
    report = AbsenceReport(
        learner=learner,
        first_day=first_day,
        last_day=last_day,
        reason=reason,
        note=note_checked(note),
        created_by=by,
    )
    if evidence is not None:
        report.evidence = evidence
        report.evidence_uploaded_at = timezone.now()
    if reason == AbsenceReport.Reason.ILLNESS:
        report.certificate_needed = (
            illness_days_in_row(learner=learner, first_day=first_day, last_day=last_day)
            >= CERTIFICATE_FROM_DAY
        )
    report.save()
    return report


@transaction.atomic
def absence_report_evidence_add(
    *, report: AbsenceReport, file: UploadedFile, by: User
) -> AbsenceReport:
    """Add (or replace) the photo or PDF of a report: by the learner, or the provider's staff."""
    report = AbsenceReport.objects.select_for_update().select_related("learner").get(pk=report.pk)
    is_learner = report.learner.user_id is not None and report.learner.user_id == by.pk
    if not is_learner and report.learner.provider_id not in by.provider_ids(role=Role.STAFF):
        raise PermissionDeniedError(_("Only the office can add evidence."), code="staff_only")
    evidence_check(file)
    old = report.evidence.name if report.evidence else ""
    report.evidence = file
    report.evidence_uploaded_at = timezone.now()
    report.save(update_fields=["evidence", "evidence_uploaded_at"])
    if old and old != report.evidence.name:
        storage = report.evidence.storage
        transaction.on_commit(lambda: storage.delete(old))
    return report


class _ReasonArgument(TypedDict, total=False):
    """``record_set`` keeps the day's reason when none is given (not the same as ``None``)."""

    absence_reason: AbsenceReason


@transaction.atomic
def absence_report_decide(*, report: AbsenceReport, code: str, by: User) -> AbsenceReport:
    """The office decides whether the reported days are excused (E) or unexcused (U).

    The decision is written to the register for every course day of the report on which the
    learner is enrolled, through ``record_set`` (a signed day gets a correction with its reason),
    with the register's absence reason for the reported reason. Only the provider's staff decide.
    """
    report = AbsenceReport.objects.select_for_update().select_related("learner").get(pk=report.pk)
    if report.learner.provider_id not in by.provider_ids(role=Role.STAFF):
        raise PermissionDeniedError(_("Only the office can decide."), code="staff_only")
    if code not in (Code.EXCUSED, Code.UNEXCUSED):
        raise AttendanceError(_("Choose excused or unexcused."), code="invalid_code", field="code")
    catalogue = REPORT_REASON_CATALOGUE.get(report.reason)
    absence_reason = AbsenceReason.objects.filter(code=catalogue).first() if catalogue else None
    for day in _course_days(
        learner=report.learner, first_day=report.first_day, last_day=report.last_day
    ):
        extra: _ReasonArgument = (
            {"absence_reason": absence_reason} if absence_reason is not None else {}
        )
        record_set(
            session=day.session,
            enrolment=day.enrolment,
            by=by,
            code=code,
            reason=_("Decision on the learner's absence report"),
            **extra,
        )
    report.decision = code
    report.decided_by = by
    report.decided_at = timezone.now()
    report.save(update_fields=["decision", "decided_by", "decided_at"])
    return report
