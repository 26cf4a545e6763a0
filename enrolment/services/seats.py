"""Enrolment, applications, withdrawals, transfers and completion: every change of who holds a
seat, each under the course-row lock, so two requests for the last seat cannot both win."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError
from courses.models import Course, Module
from enrolment import selectors
from enrolment.models import (
    Enrolment,
    WaitlistWish,
)
from enrolment.services.base import (
    EnrolmentError,
    Reason,
    Status,
    check_late_entry,
    check_learner,
    check_module,
    check_open,
    enter,
    lock_course,
    notify_learner,
    record_event,
    seats_recount,
)
from enrolment.services.waitlist import promote_locked
from people.models import Learner, LearnerEvent, User
from people.services import learner_confirm_identity


@transaction.atomic
def enrolment_create(
    *,
    course: Course,
    learner: Learner,
    module: Module | None = None,
    by: User | None = None,
    entry_date: date | None = None,
    confirm_late_entry: bool = False,
) -> Enrolment:
    """Staff enrol the learner, or put them on the waiting list when the course is full.

    The course row is locked first, so two requests for the last seat cannot both win. Repeating
    the request returns the learner's existing active enrolment (``was_created`` is False); an
    application waiting for confirmation is confirmed instead.
    """
    check_learner(course, learner)
    course = lock_course(course)
    check_open(course)
    existing = Enrolment.objects.active().filter(course=course, learner=learner).first()
    if existing is not None and existing.status != Status.APPLIED:
        existing.was_created = False
        return existing
    # staff enrolling the person is the identity check against their records
    if by is not None:
        learner_confirm_identity(learner=learner, by=by)
    promote_locked(course, by=by)  # waiting learners come first if seats were free
    entry = entry_date or max(course.start_date, timezone.localdate())
    module = module or selectors.entry_module(course, entry)
    check_module(course, module)
    enrolment = existing or Enrolment(learner=learner, course=course, created_by=by)
    enrolment.module = module
    if selectors.seats_left(course) > 0:
        late = check_late_entry(
            course=course, module=module, entry=entry, confirm_late_entry=confirm_late_entry
        )
        try:
            with transaction.atomic():
                enter(enrolment, by=by, entry=entry, late_confirmed=late)
        except IntegrityError as exc:  # a concurrent identical request on a non-locking DB
            raise ConflictError(_("Already enrolled in this course."), code="duplicate") from exc
    else:
        enrolment.status = Status.WAITLISTED
        enrolment.save()
        record_event(enrolment, LearnerEvent.Type.WAITLISTED)
    enrolment.was_created = existing is None
    return enrolment


@transaction.atomic
def application_create(*, course: Course, learner: Learner) -> Enrolment:
    """A learner with an account applies from the catalogue; staff confirm before it counts.

    Repeating the application returns the existing one.
    """
    check_learner(course, learner)
    course = lock_course(course)
    check_open(course)
    existing = Enrolment.objects.active().filter(course=course, learner=learner).first()
    if existing is not None:
        existing.was_created = False
        return existing
    enrolment = Enrolment.objects.create(
        learner=learner,
        course=course,
        module=selectors.entry_module(course),
        status=Status.APPLIED,
        created_by=learner.user,
    )
    enrolment.was_created = True
    return enrolment


@transaction.atomic
def application_confirm(
    *, enrolment: Enrolment, by: User, confirm_late_entry: bool = False
) -> Enrolment:
    """Staff confirm the applicant's identity; the application becomes an enrolment or a wait."""
    if enrolment.status != Status.APPLIED:
        raise EnrolmentError(
            _("This is not an open application."), code="not_applied", field="status"
        )
    return enrolment_create(
        course=enrolment.course,
        learner=enrolment.learner,
        module=enrolment.module,
        by=by,
        confirm_late_entry=confirm_late_entry,
    )


@transaction.atomic
def waitlist_join(*, course: Course, learner: Learner, by: User | None = None) -> Enrolment:
    """Put the learner on the course's own waiting list (whether or not seats are free: staff
    use this when the learner cannot start yet); promotion may then offer a free seat at once."""
    check_learner(course, learner)
    course = lock_course(course)
    check_open(course)
    existing = Enrolment.objects.active().filter(course=course, learner=learner).first()
    if existing is not None:
        existing.was_created = False
        return existing
    enrolment = Enrolment.objects.create(
        learner=learner,
        course=course,
        module=selectors.entry_module(course),
        status=Status.WAITLISTED,
        created_by=by,
    )
    record_event(enrolment, LearnerEvent.Type.WAITLISTED)
    promote_locked(course, by=by)
    enrolment.refresh_from_db()
    enrolment.was_created = True
    return enrolment


@transaction.atomic
def enrolment_withdraw(
    *,
    enrolment: Enrolment,
    reason: str,
    note: str = "",
    by: User | None = None,
    on: date | None = None,
    promote: bool = True,
) -> Enrolment:
    """End an enrolment, application, offer or wait with a reason category; a freed seat goes to
    the waiting list at once. Withdrawing twice changes nothing."""
    if reason not in Reason.values:
        raise EnrolmentError(
            _("Choose a reason for leaving."), code="reason_required", field="reason"
        )
    course = lock_course(enrolment.course)
    enrolment = Enrolment.objects.select_related("learner").get(pk=enrolment.pk)
    if enrolment.status == Status.WITHDRAWN:
        return enrolment
    if enrolment.status == Status.COMPLETED:
        raise EnrolmentError(_("The course is already completed."), code="completed")
    freed = enrolment.status in selectors.HELD_STATUSES
    from_status = enrolment.status
    enrolment.status = Status.WITHDRAWN
    enrolment.withdrawal_reason = reason
    enrolment.withdrawal_note = note
    enrolment.ended_on = on or timezone.localdate()
    enrolment.offer_expires_at = None
    enrolment.save()
    record_event(enrolment, LearnerEvent.Type.WITHDRAWN, reason=reason, from_status=from_status)
    notify_learner(enrolment, "withdrawn")
    if enrolment.source_wish_id:
        WaitlistWish.objects.filter(
            pk=enrolment.source_wish_id, status=WaitlistWish.Status.OFFERED
        ).update(status=WaitlistWish.Status.CANCELLED)
    if freed and promote:
        promote_locked(course, by=by)
    else:
        seats_recount(course)
    return enrolment


@transaction.atomic
def enrolment_transfer(
    *,
    enrolment: Enrolment,
    to_course: Course | None = None,
    module: Module | None = None,
    by: User | None = None,
    on: date | None = None,
    confirm_late_entry: bool = False,
) -> Enrolment:
    """Move an enrolled learner to another course (or another module of the same course).

    Both courses are locked in id order (no deadlock between two opposite transfers). The target
    needs a free seat; the seat left behind goes to the waiting list at once.
    """
    to_course = to_course or enrolment.course
    check_learner(to_course, enrolment.learner)
    for pk in sorted({enrolment.course_id, to_course.pk}):
        Course.objects.select_for_update().filter(pk=pk).first()
    enrolment = Enrolment.objects.select_related("learner", "course").get(pk=enrolment.pk)
    if enrolment.status != Status.ENROLLED:
        raise EnrolmentError(
            _("Only enrolled learners can be transferred."), code="not_enrolled", field="status"
        )
    day = on or timezone.localdate()
    if to_course.pk == enrolment.course_id:
        module = module or selectors.entry_module(to_course, day)
        check_module(to_course, module)
        if module.pk == enrolment.module_id:
            return enrolment
        old = enrolment.module_id
        enrolment.module = module
        enrolment.save(update_fields=["module", "updated_at"])
        record_event(enrolment, LearnerEvent.Type.TRANSFERRED, from_module=old, to_module=module.pk)
        return enrolment
    to_course = Course.objects.select_related("course_type").get(pk=to_course.pk)
    check_open(to_course)
    if Enrolment.objects.active().filter(course=to_course, learner=enrolment.learner).exists():
        raise ConflictError(
            _("The learner already has a place or application in that course."),
            code="already_enrolled",
        )
    if selectors.seats_left(to_course) <= 0:
        raise ConflictError(_("The target course is full."), code="course_full", field="to_course")
    module = module or selectors.entry_module(to_course, day)
    check_module(to_course, module)
    late = check_late_entry(
        course=to_course, module=module, entry=day, confirm_late_entry=confirm_late_entry
    )
    old_course = enrolment.course
    enrolment.status = Status.WITHDRAWN
    enrolment.withdrawal_reason = Reason.COURSE_CHANGE
    enrolment.ended_on = day
    enrolment.save()
    new = Enrolment(
        learner=enrolment.learner,
        course=to_course,
        module=module,
        status=Status.ENROLLED,
        start_date=day,
        transferred_from=enrolment,
        created_by=by,
    )
    if late:
        new.late_entry_confirmed_by = by
        new.late_entry_confirmed_at = timezone.now()
    new.save()
    seats_recount(to_course)
    record_event(
        new,
        LearnerEvent.Type.TRANSFERRED,
        from_course=old_course.pk,
        to_course=to_course.pk,
        start_date=day.isoformat(),
    )
    promote_locked(old_course, by=by)
    return new


@transaction.atomic
def enrolment_complete(
    *, enrolment: Enrolment, by: User | None = None, on: date | None = None
) -> Enrolment:
    """The learner finished the course."""
    course = lock_course(enrolment.course)
    enrolment = Enrolment.objects.select_related("learner").get(pk=enrolment.pk)
    if enrolment.status == Status.COMPLETED:
        return enrolment
    if enrolment.status != Status.ENROLLED:
        raise EnrolmentError(_("Only enrolled learners can complete."), code="not_enrolled")
    enrolment.status = Status.COMPLETED
    enrolment.ended_on = on or timezone.localdate()
    enrolment.save()
    seats_recount(course)
    record_event(enrolment, LearnerEvent.Type.COMPLETED)
    return enrolment


#: Withdrawals that can be taken back on the same day, and the status they return to.
UNDOABLE_STATUSES = (Status.ENROLLED, Status.WAITLISTED)


def _withdrawn_today(enrolment: Enrolment) -> LearnerEvent | None:
    """The withdrawal event of the enrolment if it happened today (Europe/Berlin)."""
    event = (
        LearnerEvent.objects.filter(
            learner_id=enrolment.learner_id,
            type=LearnerEvent.Type.WITHDRAWN,
            data__enrolment=enrolment.pk,
        )
        .order_by("-id")
        .first()
    )
    if event is None or timezone.localdate(event.occurred_at) != timezone.localdate():
        return None
    return event


def undo_problem(enrolment: Enrolment) -> str | None:
    """Why a withdrawal or transfer of this enrolment cannot be taken back (None: it can).

    For a page to offer the undo or not; the services check again under the course lock."""
    if enrolment.status == Status.ENROLLED and enrolment.transferred_from_id:
        old = enrolment.transferred_from
        if timezone.localdate(enrolment.created_at) != timezone.localdate():
            return _("A transfer can be taken back on its day only.")
        if old is None or old.status != Status.WITHDRAWN:
            return _("The learner's place in the earlier course has changed since.")
        return None
    if enrolment.status != Status.WITHDRAWN:
        return _("The learner has not been withdrawn.")
    if enrolment.withdrawal_reason == Reason.COURSE_CHANGE:
        return _("This place ended with a transfer: take back the transfer in the new course.")
    event = _withdrawn_today(enrolment)
    if event is None:
        return _("A withdrawal can be taken back on its day only.")
    if event.data.get("from_status") not in UNDOABLE_STATUSES:
        return _("Only a withdrawal from a place or from the waiting list can be taken back.")
    return None


@transaction.atomic
def enrolment_withdraw_undo(*, enrolment: Enrolment, by: User | None = None) -> Enrolment:
    """Take back today's withdrawal made by mistake: the learner holds the place (or waits)
    again as before. Refused when the seat went to someone else meanwhile, when the learner has
    another place or application in the course, or on a later day."""
    course = lock_course(enrolment.course)
    enrolment = Enrolment.objects.select_related("learner").get(pk=enrolment.pk)
    if (problem := undo_problem(enrolment)) is not None:
        raise EnrolmentError(problem, code="undo_not_allowed")
    event = _withdrawn_today(enrolment)
    assert event is not None  # checked by undo_problem
    status = event.data["from_status"]
    if Enrolment.objects.active().filter(course=course, learner=enrolment.learner).exists():
        raise ConflictError(
            _("The learner already has a place or application in that course."),
            code="already_enrolled",
        )
    if status == Status.ENROLLED and selectors.seats_left(course) <= 0:
        raise ConflictError(
            _(
                "The seat has gone to the waiting list meanwhile; the withdrawal cannot be taken "
                "back. Enrol the learner again or put them on the waiting list."
            ),
            code="course_full",
        )
    enrolment.status = status
    enrolment.withdrawal_reason = ""
    enrolment.withdrawal_note = ""
    enrolment.ended_on = None
    enrolment.save()
    seats_recount(course)
    record_event(
        enrolment,
        LearnerEvent.Type.ENROLLED if status == Status.ENROLLED else LearnerEvent.Type.WAITLISTED,
        undo_of=event.pk,
    )
    if status == Status.ENROLLED:
        notify_learner(enrolment, "enrolled")
    return enrolment


@transaction.atomic
def enrolment_transfer_undo(*, enrolment: Enrolment, by: User | None = None) -> Enrolment:
    """Take back today's transfer: ``enrolment`` is the new place; it ends (as a course change)
    and the learner holds the earlier place again. Refused when that seat went to someone else
    meanwhile or on a later day. Returns the earlier enrolment."""
    enrolment = Enrolment.objects.select_related("transferred_from").get(pk=enrolment.pk)
    old = enrolment.transferred_from
    if old is None:
        raise EnrolmentError(_("This place did not come from a transfer."), code="not_transferred")
    for pk in sorted({enrolment.course_id, old.course_id}):
        Course.objects.select_for_update().filter(pk=pk).first()
    enrolment = Enrolment.objects.select_related("learner", "transferred_from").get(pk=enrolment.pk)
    old = enrolment.transferred_from
    assert old is not None
    if (problem := undo_problem(enrolment)) is not None:
        raise EnrolmentError(problem, code="undo_not_allowed")
    old_course = Course.objects.get(pk=old.course_id)
    if selectors.seats_left(old_course) <= 0:
        raise ConflictError(
            _(
                "The seat in the earlier course has gone to the waiting list meanwhile; the "
                "transfer cannot be taken back."
            ),
            code="course_full",
        )
    if Enrolment.objects.active().filter(course=old_course, learner=old.learner_id).exists():
        raise ConflictError(
            _("The learner already has a place or application in that course."),
            code="already_enrolled",
        )
    day = timezone.localdate()
    enrolment.status = Status.WITHDRAWN
    enrolment.withdrawal_reason = Reason.COURSE_CHANGE
    enrolment.withdrawal_note = _("Transfer taken back.")
    enrolment.ended_on = day
    enrolment.save()
    old.status = Status.ENROLLED
    old.withdrawal_reason = ""
    old.ended_on = None
    old.save()
    seats_recount(Course.objects.get(pk=enrolment.course_id))
    seats_recount(old_course)
    record_event(
        old,
        LearnerEvent.Type.TRANSFERRED,
        from_course=enrolment.course_id,
        to_course=old.course_id,
        start_date=(old.start_date or day).isoformat(),
        undo_of=enrolment.pk,
    )
    promote_locked(Course.objects.get(pk=enrolment.course_id), by=by)
    return old
