"""Every write about placement tests, enrolments, waiting lists, offers and learner logins.

Services that change how many seats of a course are held lock the course row first
(``select_for_update``), so two requests for the last seat cannot both win. Every status change
records a learner event in the same transaction; mails go out after commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import ConflictError, DomainError
from courses.models import Course, CourseType, Module
from enrolment import selectors
from enrolment.models import (
    Enrolment,
    LoginCode,
    PlacementBooking,
    PlacementResult,
    PlacementSlot,
    WaitlistWish,
)
from people.models import Learner, LearnerEvent, Location, Organisation, User
from people.services import learner_confirm_identity, learner_event_record

Status = Enrolment.Status
Reason = Enrolment.WithdrawalReason


class EnrolmentError(DomainError):
    pass


# --- helpers ------------------------------------------------------------------------------------


def _lock_course(course: Course) -> Course:
    return Course.objects.select_for_update().select_related("course_type").get(pk=course.pk)


def _notify(enrolment: Enrolment, kind: str) -> None:
    """Mail the learner after commit (offer, enrolment, withdrawal), in their language."""
    from enrolment.tasks import send_enrolment_mail

    enrolment_id = enrolment.pk
    transaction.on_commit(lambda: send_enrolment_mail.enqueue(enrolment_id=enrolment_id, kind=kind))


def _event(enrolment: Enrolment, type: str, **data) -> None:
    learner_event_record(
        learner=enrolment.learner,
        type=type,
        data={"enrolment": enrolment.pk, "course": enrolment.course_id, **data},
    )


def _check_learner(course: Course, learner: Learner) -> None:
    if learner.provider_id != course.provider_id:
        raise EnrolmentError(
            _("The learner is registered with another provider."),
            code="foreign_learner",
            field="learner",
        )


def _check_open(course: Course) -> None:
    if course.status not in selectors.ENROLLABLE_STATUSES:
        raise EnrolmentError(
            _("This course takes no enrolments."), code="course_closed", field="course"
        )


def _check_module(course: Course, module: Module) -> None:
    if module.pk not in {m.pk for m in course.modules_to_teach()}:
        raise EnrolmentError(
            _("The module is not taught in this course."), code="foreign_module", field="module"
        )


def _check_late_entry(
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


def _enter(
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
    _event(
        enrolment,
        LearnerEvent.Type.ENROLLED,
        start_date=enrolment.start_date.isoformat(),
        **(data or {}),
    )
    _notify(enrolment, "enrolled")


# --- promotion from the waiting list ------------------------------------------------------------


def _promote_locked(course: Course, *, by: User | None) -> list[Enrolment]:
    """Give every free seat of the (already locked) course to the next waiting learner.

    The course either enrols at once (``waitlist_auto_enrol``) or sends an offer that holds the
    seat until it expires.
    """
    if course.status not in selectors.ENROLLABLE_STATUSES:
        return []
    promoted = []
    free = selectors.seats_left(course)
    if free <= 0:
        return []
    policy = selectors.policy_for(course.provider_id)
    entries = selectors.waiting_entries(course)
    for entry in entries[:free]:
        enrolment = entry.enrolment
        if enrolment is None:
            wish = WaitlistWish.objects.select_for_update().get(pk=entry.wish.pk)
            if wish.status != WaitlistWish.Status.ACTIVE:
                continue
            enrolment = Enrolment(
                learner=entry.learner,
                course=course,
                module=selectors.entry_module(course),
                source_wish=wish,
                created_by=by,
            )
            wish.status = (
                WaitlistWish.Status.FULFILLED
                if course.waitlist_auto_enrol
                else WaitlistWish.Status.OFFERED
            )
            wish.save(update_fields=["status"])
        enrolment.course = course
        with translation.override("en"):  # the audit trail keeps one language
            data = {"position": entry.position, "reason": entry.reason(), **entry.flags}
        if course.waitlist_auto_enrol:
            enrolment.status = Status.ENROLLED
            _enter(enrolment, by=by, data={"from_waiting_list": True, **data})
        else:
            enrolment.status = Status.OFFERED
            enrolment.offer_expires_at = timezone.now() + timedelta(hours=policy.offer_hours)
            enrolment.save()
            _event(
                enrolment,
                LearnerEvent.Type.OFFERED,
                expires_at=enrolment.offer_expires_at.isoformat(),
                **data,
            )
            _notify(enrolment, "offered")
        promoted.append(enrolment)
    return promoted


@transaction.atomic
def waitlist_on_seats_changed(*, course: Course, by: User | None = None) -> list[Enrolment]:
    """A seat may have freed (withdrawal, transfer, capacity raised, course opened or created):
    offer it to the next waiting learner of the course or of a wish the course satisfies."""
    course = _lock_course(course)
    return _promote_locked(course, by=by)


# --- enrolment ----------------------------------------------------------------------------------


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
    _check_learner(course, learner)
    course = _lock_course(course)
    _check_open(course)
    existing = Enrolment.objects.active().filter(course=course, learner=learner).first()
    if existing is not None and existing.status != Status.APPLIED:
        existing.was_created = False
        return existing
    # staff enrolling the person is the identity check against their records
    if by is not None:
        learner_confirm_identity(learner=learner, by=by)
    _promote_locked(course, by=by)  # waiting learners come first if seats were free
    entry = entry_date or max(course.start_date, timezone.localdate())
    module = module or selectors.entry_module(course, entry)
    _check_module(course, module)
    enrolment = existing or Enrolment(learner=learner, course=course, created_by=by)
    enrolment.module = module
    if selectors.seats_left(course) > 0:
        late = _check_late_entry(
            course=course, module=module, entry=entry, confirm_late_entry=confirm_late_entry
        )
        try:
            with transaction.atomic():
                _enter(enrolment, by=by, entry=entry, late_confirmed=late)
        except IntegrityError as exc:  # a concurrent identical request on a non-locking DB
            raise ConflictError(_("Already enrolled in this course."), code="duplicate") from exc
    else:
        enrolment.status = Status.WAITLISTED
        enrolment.save()
        _event(enrolment, LearnerEvent.Type.WAITLISTED)
    enrolment.was_created = existing is None
    return enrolment


@transaction.atomic
def application_create(*, course: Course, learner: Learner) -> Enrolment:
    """A learner with an account applies from the catalogue; staff confirm before it counts.

    Repeating the application returns the existing one.
    """
    _check_learner(course, learner)
    course = _lock_course(course)
    _check_open(course)
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
    _check_learner(course, learner)
    course = _lock_course(course)
    _check_open(course)
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
    _event(enrolment, LearnerEvent.Type.WAITLISTED)
    _promote_locked(course, by=by)
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
    course = _lock_course(enrolment.course)
    enrolment = Enrolment.objects.select_related("learner").get(pk=enrolment.pk)
    if enrolment.status == Status.WITHDRAWN:
        return enrolment
    if enrolment.status == Status.COMPLETED:
        raise EnrolmentError(_("The course is already completed."), code="completed")
    freed = enrolment.status in selectors.HELD_STATUSES
    enrolment.status = Status.WITHDRAWN
    enrolment.withdrawal_reason = reason
    enrolment.withdrawal_note = note
    enrolment.ended_on = on or timezone.localdate()
    enrolment.offer_expires_at = None
    enrolment.save()
    _event(enrolment, LearnerEvent.Type.WITHDRAWN, reason=reason)
    _notify(enrolment, "withdrawn")
    if enrolment.source_wish_id:
        WaitlistWish.objects.filter(
            pk=enrolment.source_wish_id, status=WaitlistWish.Status.OFFERED
        ).update(status=WaitlistWish.Status.CANCELLED)
    if freed and promote:
        _promote_locked(course, by=by)
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
    _check_learner(to_course, enrolment.learner)
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
        _check_module(to_course, module)
        if module.pk == enrolment.module_id:
            return enrolment
        old = enrolment.module_id
        enrolment.module = module
        enrolment.save(update_fields=["module", "updated_at"])
        _event(enrolment, LearnerEvent.Type.TRANSFERRED, from_module=old, to_module=module.pk)
        return enrolment
    to_course = Course.objects.select_related("course_type").get(pk=to_course.pk)
    _check_open(to_course)
    if Enrolment.objects.active().filter(course=to_course, learner=enrolment.learner).exists():
        raise ConflictError(
            _("The learner already has a place or application in that course."),
            code="already_enrolled",
        )
    if selectors.seats_left(to_course) <= 0:
        raise ConflictError(_("The target course is full."), code="course_full", field="to_course")
    module = module or selectors.entry_module(to_course, day)
    _check_module(to_course, module)
    late = _check_late_entry(
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
    _event(
        new,
        LearnerEvent.Type.TRANSFERRED,
        from_course=old_course.pk,
        to_course=to_course.pk,
        start_date=day.isoformat(),
    )
    _promote_locked(old_course, by=by)
    return new


@transaction.atomic
def enrolment_complete(
    *, enrolment: Enrolment, by: User | None = None, on: date | None = None
) -> Enrolment:
    """The learner finished the course."""
    _lock_course(enrolment.course)
    enrolment = Enrolment.objects.select_related("learner").get(pk=enrolment.pk)
    if enrolment.status == Status.COMPLETED:
        return enrolment
    if enrolment.status != Status.ENROLLED:
        raise EnrolmentError(_("Only enrolled learners can complete."), code="not_enrolled")
    enrolment.status = Status.COMPLETED
    enrolment.ended_on = on or timezone.localdate()
    enrolment.save()
    _event(enrolment, LearnerEvent.Type.COMPLETED)
    return enrolment


# --- offers -------------------------------------------------------------------------------------


def offer_accept(*, enrolment: Enrolment, by: User | None = None) -> Enrolment:
    """The learner takes the offered seat before it expires. Accepting twice changes nothing.

    An expired offer is passed on to the next learner (committed) before the refusal is raised,
    so the seat is not lost to a late answer.
    """
    accepted = _offer_accept(enrolment=enrolment, by=by)
    if accepted is None:
        raise ConflictError(_("The offer has expired."), code="offer_expired")
    return accepted


@transaction.atomic
def _offer_accept(*, enrolment: Enrolment, by: User | None) -> Enrolment | None:
    course = _lock_course(enrolment.course)
    enrolment = Enrolment.objects.select_related("learner").get(pk=enrolment.pk)
    enrolment.course = course
    if enrolment.status == Status.ENROLLED:
        return enrolment
    if enrolment.status != Status.OFFERED:
        raise EnrolmentError(_("There is no open offer."), code="no_offer")
    if enrolment.offer_expires_at <= timezone.now():
        _offer_pass(enrolment, why="offer_expired", by=by)
        return None
    if enrolment.source_wish_id:
        WaitlistWish.objects.filter(pk=enrolment.source_wish_id).update(
            status=WaitlistWish.Status.FULFILLED
        )
    _enter(enrolment, by=by)
    return enrolment


@transaction.atomic
def offer_decline(*, enrolment: Enrolment, by: User | None = None) -> Enrolment:
    """The learner turns the offer down; the seat passes to the next learner at once."""
    course = _lock_course(enrolment.course)
    enrolment = Enrolment.objects.select_related("learner").get(pk=enrolment.pk)
    enrolment.course = course
    if enrolment.status == Status.WITHDRAWN:
        return enrolment
    if enrolment.status != Status.OFFERED:
        raise EnrolmentError(_("There is no open offer."), code="no_offer")
    _offer_pass(enrolment, why="offer_declined", by=by)
    return enrolment


def _offer_pass(enrolment: Enrolment, *, why: str, by: User | None) -> None:
    """End the offer; a wish-based learner keeps waiting for other courses."""
    enrolment.status = Status.WITHDRAWN
    enrolment.withdrawal_reason = Reason.OTHER
    enrolment.withdrawal_note = why
    enrolment.ended_on = timezone.localdate()
    enrolment.offer_expires_at = None
    enrolment.save()
    _event(enrolment, LearnerEvent.Type.WITHDRAWN, reason=Reason.OTHER, detail=why)
    if enrolment.source_wish_id:
        wish = WaitlistWish.objects.select_for_update().get(pk=enrolment.source_wish_id)
        wish.passed_course_ids = [*wish.passed_course_ids, enrolment.course_id]
        wish.status = WaitlistWish.Status.ACTIVE
        wish.save(update_fields=["passed_course_ids", "status"])
    _promote_locked(enrolment.course, by=by)


def offers_expire(*, now: datetime | None = None) -> int:
    """Pass every offer whose time ran out to the next learner; one transaction per course."""
    now = now or timezone.now()
    count = 0
    ids = list(
        Enrolment.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    for pk in ids:
        with transaction.atomic():
            enrolment = Enrolment.objects.select_related("course").get(pk=pk)
            course = _lock_course(enrolment.course)
            enrolment = Enrolment.objects.select_related("learner").get(pk=pk)
            if enrolment.status == Status.OFFERED and enrolment.offer_expires_at <= now:
                enrolment.course = course
                _offer_pass(enrolment, why="offer_expired", by=None)
                count += 1
    return count


def course_started_record(*, today: date | None = None) -> int:
    """Record ``course_started`` once for each enrolment whose entry date has come (daily task)."""
    today = today or timezone.localdate()
    count = 0
    due = Enrolment.objects.filter(
        status=Status.ENROLLED, start_date__lte=today, course_started_recorded=False
    ).select_related("learner")
    for enrolment in due:
        with transaction.atomic():
            updated = Enrolment.objects.filter(
                pk=enrolment.pk, course_started_recorded=False
            ).update(course_started_recorded=True)
            if updated:
                _event(
                    enrolment,
                    LearnerEvent.Type.COURSE_STARTED,
                    start_date=enrolment.start_date.isoformat(),
                )
                count += 1
    return count


# --- wishes -------------------------------------------------------------------------------------


@transaction.atomic
def wish_create(
    *,
    learner: Learner,
    course_type: CourseType | None = None,
    level: str = "",
    module_order: int | None = None,
    locations: list[Location] = (),
    times_of_day: list[str] = (),
    needs_childcare: bool = False,
    by: User | None = None,
) -> WaitlistWish:
    """Wait for any course that fits; a fitting course with a free seat is offered at once."""
    if not (course_type or level or module_order):
        raise EnrolmentError(
            _("Give a course type, a level or a module."),
            code="wish_too_vague",
            field="course_type",
        )
    for location in locations:
        if location.organisation_id != learner.provider_id:
            raise EnrolmentError(
                _("The location belongs to another provider."),
                code="foreign_location",
                field="locations",
            )
    wish = WaitlistWish.objects.create(
        learner=learner,
        course_type=course_type,
        level=level,
        module_order=module_order,
        times_of_day=list(times_of_day),
        needs_childcare=needs_childcare,
        created_by=by,
    )
    wish.locations.set(locations)
    learner_event_record(learner=learner, type=LearnerEvent.Type.WAITLISTED, data={"wish": wish.pk})
    candidates = Course.objects.filter(
        provider_id=learner.provider_id, status__in=selectors.ENROLLABLE_STATUSES
    ).order_by("start_date", "pk")
    if course_type:
        candidates = candidates.filter(course_type__code=course_type.code)
    for course in candidates:
        wish.refresh_from_db(fields=["status"])
        if wish.status != WaitlistWish.Status.ACTIVE:
            break
        if selectors.seats_left(course) > 0:
            waitlist_on_seats_changed(course=course, by=by)
    wish.refresh_from_db()
    return wish


@transaction.atomic
def wish_cancel(*, wish: WaitlistWish, by: User | None = None) -> WaitlistWish:
    wish = WaitlistWish.objects.select_for_update().get(pk=wish.pk)
    if wish.status == WaitlistWish.Status.ACTIVE:
        wish.status = WaitlistWish.Status.CANCELLED
        wish.save(update_fields=["status"])
    return wish


# --- placement tests ----------------------------------------------------------------------------


@transaction.atomic
def placement_slot_create(
    *,
    provider: Organisation,
    location: Location,
    date: date,
    start_time,
    capacity: int,
    tester: User | None = None,
    by: User | None = None,
) -> PlacementSlot:
    """Schedule a placement test; the location must be the provider's own."""
    if location.organisation_id != provider.pk:
        raise EnrolmentError(
            _("The location belongs to another provider."),
            code="foreign_location",
            field="location",
        )
    if capacity < 1:
        raise EnrolmentError(_("Capacity must be at least 1."), code="capacity", field="capacity")
    return PlacementSlot.objects.create(
        provider=provider,
        location=location,
        date=date,
        start_time=start_time,
        capacity=capacity,
        tester=tester,
    )


@transaction.atomic
def placement_book(
    *, slot: PlacementSlot, learner: Learner, by: User | None = None
) -> PlacementBooking:
    """Book a learner into a test slot; the slot row is locked so a full slot refuses more."""
    slot = PlacementSlot.objects.select_for_update().get(pk=slot.pk)
    if learner.provider_id != slot.provider_id:
        raise EnrolmentError(
            _("The learner is registered with another provider."),
            code="foreign_learner",
            field="learner",
        )
    existing = PlacementBooking.objects.filter(slot=slot, learner=learner).first()
    if existing:
        return existing
    if slot.bookings.count() >= slot.capacity:
        raise ConflictError(_("This test slot is full."), code="slot_full")
    return PlacementBooking.objects.create(slot=slot, learner=learner, created_by=by)


@transaction.atomic
def placement_result_record(
    *,
    booking: PlacementBooking,
    level_reached: str,
    recommended_module: Module,
    placed_module: Module | None = None,
    deviation_reason: str = "",
    by: User | None = None,
) -> PlacementResult:
    """The tester records the result; placing the learner differently needs a stated reason."""
    placed_module = placed_module or recommended_module
    if placed_module.pk != recommended_module.pk and not deviation_reason.strip():
        raise EnrolmentError(
            _("Placing the learner differently from the result needs a reason."),
            code="deviation_reason_required",
            field="deviation_reason",
        )
    booking = PlacementBooking.objects.select_for_update().get(pk=booking.pk)
    values = {
        "level_reached": level_reached,
        "recommended_course_type": recommended_module.course_type,
        "recommended_module": recommended_module,
        "placed_course_type": placed_module.course_type,
        "placed_module": placed_module,
        "deviation_reason": deviation_reason.strip(),
        "recorded_by": by,
        "recorded_at": timezone.now(),
    }
    result, _created = PlacementResult.objects.update_or_create(booking=booking, defaults=values)
    return result


@transaction.atomic
def enrol_from_result(
    *, result: PlacementResult, course: Course | None = None, by: User | None = None
) -> Enrolment | WaitlistWish:
    """One step from a result: enrol in (or wait for) the chosen course at the placed module, or,
    without a course, wait for any course of the placed type and module."""
    learner = result.booking.learner
    if course is None:
        return wish_create(
            learner=learner,
            course_type=result.placed_course_type,
            module_order=result.placed_module.order,
            times_of_day=learner.available_times or [],
            needs_childcare=learner.childcare_needed,
            by=by,
        )
    if course.course_type.code != result.placed_course_type.code:
        raise EnrolmentError(
            _("The course is of another type than the placement."),
            code="type_mismatch",
            field="course",
        )
    module = selectors.entry_module(course)
    return enrolment_create(course=course, learner=learner, module=module, by=by)


# --- accounts and login codes -------------------------------------------------------------------


def _hash(code: str) -> str:
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper


@transaction.atomic
def learner_account_create(*, learner: Learner, by: User | None = None) -> User:
    """Give the learner a login (no password: they log in with a printed code)."""
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    if learner.user_id:
        return learner.user
    user = User(
        username=f"tn-{learner.provider_id}-{learner.pk}-{secrets.token_hex(3)}",
        first_name=learner.first_name,
        last_name=learner.last_name,
        email=learner.email,
        preferred_language=learner.preferred_language,
    )
    user.set_unusable_password()
    user.save()
    learner.user = user
    learner.save(update_fields=["user", "updated_at"])
    return user


@transaction.atomic
def login_code_issue(*, learner: Learner, by: User | None = None) -> tuple[LoginCode, str]:
    """Issue a one-time login code; earlier unused codes stop working. Returns (row, plain code).

    Only a hash is stored, so the plain code exists on the printed sheet only.
    """
    learner_account_create(learner=learner, by=by)
    now = timezone.now()
    LoginCode.objects.filter(learner=learner, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    plain = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    plain = "-".join(plain[i : i + 4] for i in range(0, 12, 4))
    days = settings.ENROLMENT_LOGIN_CODE_DAYS
    row = LoginCode.objects.create(
        learner=learner,
        code_hash=_hash(plain),
        expires_at=now + timedelta(days=days),
        created_by=by,
    )
    return row, plain


@transaction.atomic
def login_code_redeem(*, code: str) -> User:
    """Exchange a code for the learner's user; a used, revoked, expired or unknown code is refused."""
    row = (
        LoginCode.objects.select_for_update(of=("self",))
        .select_related("learner__user")
        .filter(code_hash=_hash(code))
        .first()
    )
    if row is None or row.learner.user is None or not row.learner.user.is_active:
        raise EnrolmentError(_("This login code is not valid."), code="code_invalid", field="code")
    if row.used_at is not None:
        raise EnrolmentError(
            _("This login code has already been used."), code="code_used", field="code"
        )
    if row.revoked_at is not None:
        raise EnrolmentError(
            _("This login code was replaced by a newer one."), code="code_revoked", field="code"
        )
    if row.expires_at <= timezone.now():
        raise EnrolmentError(_("This login code has expired."), code="code_expired", field="code")
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return row.learner.user


@transaction.atomic
def learner_register(
    *,
    provider: Organisation,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    phone: str = "",
    email: str = "",
    preferred_language: str = "de",
) -> Learner:
    """Self-registration from the catalogue: a learner record (identity not yet confirmed by
    staff) with a login for this phone."""
    if not (phone.strip() or email.strip()):
        raise EnrolmentError(
            _("Give a phone number or an e-mail address."), code="contact_required", field="phone"
        )
    learner = Learner.objects.create(
        provider=provider,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        phone=phone.strip(),
        email=email.strip(),
        preferred_language=preferred_language,
    )
    learner_account_create(learner=learner)
    learner.refresh_from_db()
    return learner


# --- import -------------------------------------------------------------------------------------

IMPORT_FORMATS = ("csv", "xlsx")


def _dataset(content: bytes, file_format: str):
    import tablib

    if file_format not in IMPORT_FORMATS:
        raise EnrolmentError(_("Upload a CSV or XLSX file."), code="import_format", field="file")
    try:
        if file_format == "csv":
            text = content.decode("utf-8-sig")
            first = text.split("\n", 1)[0]
            delimiter = ";" if first.count(";") > first.count(",") else ","
            return tablib.Dataset().load(text, format="csv", delimiter=delimiter)
        return tablib.Dataset().load(content, format="xlsx")
    except Exception as exc:
        raise EnrolmentError(
            _("The file cannot be read as %(format)s.") % {"format": file_format.upper()},
            code="import_unreadable",
            field="file",
        ) from exc


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
