"""Shared pieces of the enrolment services: the error type, the course-row lock, the checks every
seat change makes, and the step that seats a learner (event and mail after commit)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from courses.models import Course, Module
from enrolment import selectors
from enrolment.models import (
    Enrolment,
)
from people.models import Learner, LearnerEvent, User
from people.services import learner_event_record

Status = Enrolment.Status
Reason = Enrolment.WithdrawalReason


class EnrolmentError(DomainError):
    pass


def lock_course(course: Course) -> Course:
    return Course.objects.select_for_update().select_related("course_type").get(pk=course.pk)


def seats_recount(course: Course) -> None:
    """Store the seats the course holds (enrolled learners plus open offers) on the course row,
    which the caller has locked. It is the one seat count: the catalogue shows it and the
    courses app checks capacity changes against it, without either importing enrolment."""
    held = selectors.seats_held(course)
    if held != course.seats_held:
        Course.objects.filter(pk=course.pk).update(seats_held=held)
    course.seats_held = held


def notify_learner(enrolment: Enrolment, kind: str) -> None:
    """Mail the learner after commit (offer, enrolment, withdrawal), in their language."""
    from enrolment.tasks import send_enrolment_mail

    enrolment_id = enrolment.pk
    transaction.on_commit(lambda: send_enrolment_mail.enqueue(enrolment_id=enrolment_id, kind=kind))


def record_event(enrolment: Enrolment, type: str, **data) -> None:
    learner_event_record(
        learner=enrolment.learner,
        type=type,
        data={"enrolment": enrolment.pk, "course": enrolment.course_id, **data},
    )


def check_learner(course: Course, learner: Learner) -> None:
    if learner.provider_id != course.provider_id:
        raise EnrolmentError(
            _("The learner is registered with another provider."),
            code="foreign_learner",
            field="learner",
        )


def check_open(course: Course) -> None:
    if course.status not in selectors.ENROLLABLE_STATUSES:
        raise EnrolmentError(
            _("This course takes no enrolments."), code="course_closed", field="course"
        )


def check_module(course: Course, module: Module) -> None:
    if module.pk not in {m.pk for m in course.modules_to_teach()}:
        raise EnrolmentError(
            _("The module is not taught in this course."), code="foreign_module", field="module"
        )


def check_late_entry(
    *, course: Course, module: Module, entry: date, confirm_late_entry: bool
) -> bool:
    """Entry into a running module is on time within its first UE (25 by default); later entry
    needs a staff confirmation. Returns True when a confirmation is being used."""
    limit = selectors.policy_for(course.provider_id).late_entry_ue
    held = selectors.module_ue_held_before(course=course, module=module, day=entry)
    if held < limit:
        return False
    if not confirm_late_entry:
        raise EnrolmentError(
            _(
                "%(held)s UE of this module have already been taught; entry after the first "
                "%(limit)s UE needs a staff confirmation."
            )
            % {"held": held, "limit": limit},
            code="late_entry_needs_confirmation",
            field="confirm_late_entry",
        )
    return True


def enter(
    enrolment: Enrolment,
    *,
    by: User | None,
    entry: date | None = None,
    late_confirmed: bool = False,
    data: dict | None = None,
) -> None:
    course = enrolment.course
    enrolment.status = Status.ENROLLED
    enrolment.start_date = entry or max(course.start_date, timezone.localdate())
    enrolment.offer_expires_at = None
    if late_confirmed:
        enrolment.late_entry_confirmed_by = by
        enrolment.late_entry_confirmed_at = timezone.now()
    enrolment.save()
    seats_recount(course)
    record_event(
        enrolment,
        LearnerEvent.Type.ENROLLED,
        start_date=enrolment.start_date.isoformat(),
        **(data or {}),
    )
    notify_learner(enrolment, "enrolled")
