"""Every write of the InGe outbox: bring a course's reports up to date, mark a report ready, record
that it was sent, and follow a sent report with a correction.

A report's values are recomputed from the course data while it is open (to do or ready); a ready
report whose data no longer passes the form's rules falls back to "to do". Once sent, nothing
changes it: InGe does not let a sent report be corrected in place, so neither do we."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.inge import format as inge_format
from billing.inge.facts import CourseFacts, course_facts, subject_for
from billing.models import InGeReport, TeacherAdmission
from core.errors import ConflictError, DomainError
from courses.models import Course, Programme
from people.models import Role, User

Kind = InGeReport.Kind
Status = InGeReport.Status

#: A completed course keeps being swept this long (exits and test registrations come late).
SWEEP_AFTER_END = timedelta(weeks=8)


class InGeError(DomainError):
    pass


@dataclass(frozen=True)
class SyncResult:
    created: int = 0
    updated: int = 0
    removed: int = 0


@dataclass(frozen=True)
class Change:
    """A value of a sent report that the data now says differently."""

    label: str
    sent: str
    now: str


def outbox_courses(
    *, provider_ids: list[int] | None = None, today: date | None = None
) -> QuerySet[Course]:
    """The courses whose reports are kept up to date: language and integration courses that are
    planned, open or running, or ended within the last eight weeks."""
    today = today or timezone.localdate()
    qs = Course.objects.filter(course_type__programme__kind=Programme.Kind.COURSES).filter(
        Q(status__in=[Course.Status.PLANNED, Course.Status.OPEN, Course.Status.RUNNING])
        | Q(status=Course.Status.COMPLETED, end_date__gte=today - SWEEP_AFTER_END)
    )
    if provider_ids is not None:
        qs = qs.filter(provider_id__in=provider_ids)
    return qs.order_by("pk")


def _wanted(facts: CourseFacts, today: date) -> dict[str, dict]:
    """The reports the course's facts call for, by key."""
    wanted: dict[str, dict] = {}

    def want(kind: str, module_id=None, enrolment_id=None, test_id=None) -> None:
        key = InGeReport.key_for(kind, facts.course_id, module_id, enrolment_id, test_id)
        wanted[key] = {
            "kind": kind,
            "module_id": module_id,
            "enrolment_id": enrolment_id,
            "test_result_id": test_id,
        }

    if facts.status != Course.Status.CANCELLED:
        want(Kind.COURSE_START)
    for module in facts.modules[1:]:  # the first module's start is the course start
        if inge_format.prepared(module.first_day, today):
            want(Kind.MODULE_START, module_id=module.module_id)
    for learner in facts.learners:
        if not learner.entered:
            continue
        if inge_format.prepared(learner.entry_date, today):
            want(Kind.ENTRY, enrolment_id=learner.enrolment_id)
        if learner.exit_date is not None and learner.exit_date <= today:
            want(Kind.EXIT, enrolment_id=learner.enrolment_id)
    for test in facts.tests:
        want(Kind.TEST_ENTRY, enrolment_id=test.learner.enrolment_id, test_id=test.test_id)
    return wanted


@transaction.atomic
def inge_sync_course(*, course: Course, today: date | None = None) -> SyncResult:
    """Create the reports the course's data calls for, refresh the open ones, and drop open
    reports whose fact is gone (a withdrawal taken back). Sent reports are never touched; the
    course's reports are locked so a report being marked sent is not refreshed at once."""
    today = today or timezone.localdate()
    facts = course_facts(course)
    existing = list(
        InGeReport.objects.select_for_update(of=("self",))
        .filter(course_id=course.pk)
        .select_related("corrects")
        .order_by("pk")
    )
    wanted = _wanted(facts, today)
    have = {r.key for r in existing if r.corrects_id is None}
    new = [
        InGeReport(course_id=course.pk, key=key, **fields)
        for key, fields in wanted.items()
        if key not in have
    ]
    InGeReport.objects.bulk_create(new, ignore_conflicts=True)
    gone = [
        r.pk
        for r in existing
        if r.corrects_id is None and r.key not in wanted and r.status != Status.SENT
    ]
    if gone:
        InGeReport.objects.filter(pk__in=gone).delete()
    reports = [r for r in existing if r.pk not in gone]
    if new:
        reports += list(
            InGeReport.objects.filter(
                course_id=course.pk, key__in=[r.key for r in new], corrects__isnull=True
            )
        )
    changed = [r for r in reports if r.status != Status.SENT and _refresh(r, facts)]
    if changed:
        InGeReport.objects.bulk_update(changed, ["values", "missing", "due_on", "status"])
    return SyncResult(created=len(new), updated=len(changed), removed=len(gone))


def _refresh(report: InGeReport, facts: CourseFacts) -> bool:
    """Recompute an open report's values from the facts; True when anything changed."""
    subject = subject_for(report, facts)
    form = inge_format.form_for(subject)
    status = report.status
    if status == Status.READY and not form.complete:
        status = Status.TODO
    fresh = (form.values(), len(form.missing), inge_format.due_on(subject), status)
    if fresh == (report.values, report.missing, report.due_on, report.status):
        return False
    report.values, report.missing, report.due_on, report.status = fresh
    return True


def inge_sync(*, provider_ids: list[int] | None = None, today: date | None = None) -> SyncResult:
    """Bring the outbox of the providers (all when None) up to date, one course at a time."""
    created = updated = removed = 0
    for course in outbox_courses(provider_ids=provider_ids, today=today):
        result = inge_sync_course(course=course, today=today)
        created, updated, removed = (
            created + result.created,
            updated + result.updated,
            removed + result.removed,
        )
    return SyncResult(created=created, updated=updated, removed=removed)


def inge_form(report: InGeReport) -> inge_format.Form:
    """The report's form computed from today's data (for a sent report: what it would say now)."""
    return inge_format.form_for(subject_for(report, course_facts(report.course)))


def last_sent(report: InGeReport) -> InGeReport:
    """What InGe holds now for the report's fact: its latest sent correction, or the report."""
    latest = (
        report.corrections.filter(status=Status.SENT).order_by("-sent_on", "-pk").first()
        if report.corrects_id is None
        else None
    )
    return latest or report


def sent_changes(report: InGeReport, form: inge_format.Form) -> list[Change]:
    """What the data now says differently from the values sent (the korrektur line aside)."""
    if not report.is_sent:
        return []
    sent = {v["key"]: v for v in report.values if v["key"] != "korrektur"}
    now = {f.key: f for f in form.fields if f.key != "korrektur"}
    changes = []
    for key in [*sent, *(k for k in now if k not in sent)]:
        before = sent[key]["value"] if key in sent else ""
        after = now[key].value if key in now else ""
        if before != after:
            label = sent[key]["label"] if key in sent else now[key].label
            changes.append(Change(label, before, after))
    return changes


def _locked(report: InGeReport) -> InGeReport:
    found = (
        InGeReport.objects.select_for_update(of=("self",))
        .select_related("course", "corrects")
        .filter(pk=report.pk)
        .first()
    )
    if found is None:  # an open report whose fact is gone (a withdrawal taken back)
        raise InGeError(_("This report is not needed any more."), code="report_gone")
    return found


def inge_mark_ready(*, report: InGeReport, by: User) -> InGeReport:
    """Staff checked the report: allowed only when the form's rules pass on today's data."""
    inge_sync_course(course=report.course)
    with transaction.atomic():
        report = _locked(report)
        if report.is_sent:
            raise ConflictError(_("The report is already sent."), code="report_sent")
        if report.missing:
            raise InGeError(
                _("%(n)s required items are missing; complete them first.") % {"n": report.missing},
                code="report_incomplete",
            )
        report.status = Status.READY
        report.ready_at = timezone.now()
        report.ready_by = by
        report.save(update_fields=["status", "ready_at", "ready_by"])
    return report


@transaction.atomic
def inge_mark_sent(*, report: InGeReport, by: User, sent_on: date) -> InGeReport:
    """Record that staff entered the report in InGe on ``sent_on``: the values are frozen as they
    are now, and the report can never be changed again (only corrected)."""
    report = _locked(report)
    if report.is_sent:
        raise ConflictError(_("The report is already sent."), code="report_sent")
    if report.status != Status.READY:
        raise InGeError(
            _("Mark the report ready first: its items are checked then."), code="report_not_ready"
        )
    if sent_on > timezone.localdate():
        raise InGeError(
            _("The day it was sent cannot lie in the future."),
            code="sent_on_future",
            field="sent_on",
        )
    if report.corrects_id and sent_on < report.corrects.sent_on:
        raise InGeError(
            _("A correction cannot be sent before the report it corrects."),
            code="sent_on_before_original",
            field="sent_on",
        )
    form = inge_form(report)
    if not form.complete:
        report.status = Status.TODO
        report.values, report.missing = form.values(), len(form.missing)
        report.save(update_fields=["status", "values", "missing"])
        raise InGeError(
            _("The data changed and %(n)s required items are missing now.")
            % {"n": len(form.missing)},
            code="report_incomplete",
        )
    report.values = form.values()
    report.missing = 0
    report.status = Status.SENT
    report.sent_on = sent_on
    report.sent_by = by
    report.sent_recorded_at = timezone.now()
    report.save(
        update_fields=["values", "missing", "status", "sent_on", "sent_by", "sent_recorded_at"]
    )
    return report


@transaction.atomic
def inge_correction_create(*, report: InGeReport) -> InGeReport:
    """Follow a sent report with a correction: a new report of the same kind, linked to it, that
    goes through the same checks. One open correction per report at a time (asking again
    returns it)."""
    report = _locked(report)
    if not report.is_sent:
        raise InGeError(
            _("Only a sent report is corrected; an open one shows today's data already."),
            code="report_not_sent",
        )
    if report.corrects_id:  # a correction of a correction corrects the original again
        report = _locked(report.corrects)
    open_one = report.corrections.exclude(status=Status.SENT).first()
    if open_one is not None:
        return open_one
    correction = InGeReport.objects.create(
        kind=report.kind,
        course_id=report.course_id,
        module_id=report.module_id,
        enrolment_id=report.enrolment_id,
        test_result_id=report.test_result_id,
        key=report.key,
        corrects=report,
    )
    facts = course_facts(report.course)
    _refresh(correction, facts)
    correction.save(update_fields=["values", "missing", "due_on", "status"])
    return correction


@transaction.atomic
def admission_save(*, admission: TeacherAdmission) -> TeacherAdmission:
    """Record or change a teacher's BAMF admission: only for a teacher of that provider, once
    per teacher and provider, valid until on or after the admission day (the course reports
    name the number, so a wrong one would go to BAMF)."""
    teachers = User.objects.filter(
        memberships__organisation_id=admission.provider_id, memberships__role=Role.TEACHER
    )
    if not teachers.filter(pk=admission.teacher_id).exists():
        raise DomainError(
            _("Choose a teacher of this provider."), code="not_a_teacher", field="teacher"
        )
    if admission.expires_on and admission.expires_on < admission.admitted_on:
        raise DomainError(
            _("The admission cannot end before it was granted."),
            code="admission_dates",
            field="expires_on",
        )
    twin = TeacherAdmission.objects.filter(
        provider_id=admission.provider_id, teacher_id=admission.teacher_id
    ).exclude(pk=admission.pk)
    if twin.exists():
        raise ConflictError(
            _("This teacher's admission is already recorded; change that one."),
            code="admission_exists",
            field="teacher",
        )
    admission.number = admission.number.strip()
    admission.save()
    return admission
