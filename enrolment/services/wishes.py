"""Wishes: a place on the waiting list that several courses of a type and level can satisfy."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import Course, CourseType
from enrolment import selectors
from enrolment.models import (
    WaitlistWish,
)
from enrolment.services.base import EnrolmentError
from enrolment.services.waitlist import waitlist_on_seats_changed
from people.models import Learner, LearnerEvent, Location, User
from people.services import learner_event_record


@transaction.atomic
def wish_create(
    *,
    learner: Learner,
    course_type: CourseType | None = None,
    level: str = "",
    module_order: int | None = None,
    locations: Sequence[Location] = (),
    times_of_day: Sequence[str] = (),
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
