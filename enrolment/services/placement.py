"""Placement tests (Einstufungstest): slots, bookings, results, and enrolment from a result."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError
from courses.models import Course, Module
from enrolment import selectors
from enrolment.models import (
    Enrolment,
    PlacementBooking,
    PlacementResult,
    PlacementSlot,
    WaitlistWish,
)
from enrolment.services.base import EnrolmentError
from enrolment.services.seats import enrolment_create
from enrolment.services.wishes import wish_create
from enrolment.signals import placement_booked
from people.models import Learner, Location, Organisation, User


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
    booking = PlacementBooking.objects.create(slot=slot, learner=learner, created_by=by)
    placement_booked.send(sender=PlacementBooking, booking=booking, by=by)
    return booking


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
