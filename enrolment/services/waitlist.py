"""The waiting list: promotion by priority when seats free up, offers and their expiry, and the
course-start records."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import ConflictError
from courses.models import Course
from enrolment import selectors
from enrolment.models import (
    Enrolment,
    WaitlistWish,
)
from enrolment.services.base import (
    EnrolmentError,
    Reason,
    Status,
    enter,
    lock_course,
    notify_learner,
    record_event,
    seats_recount,
)
from people.models import LearnerEvent, User


def promote_locked(course: Course, *, by: User | None) -> list[Enrolment]:
    """Give every free seat of the (already locked) course to the next waiting learner, and
    store the seats the course then holds.

    The course either enrols at once (``waitlist_auto_enrol``) or sends an offer that holds the
    seat until it expires.
    """
    promoted = _promote(course, by=by)
    seats_recount(course)
    return promoted


def _promote(course: Course, *, by: User | None) -> list[Enrolment]:
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
            assert entry.wish is not None  # an entry is an enrolment or a wish
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
            enter(enrolment, by=by, data={"from_waiting_list": True, **data})
        else:
            enrolment.status = Status.OFFERED
            enrolment.offer_expires_at = timezone.now() + timedelta(hours=policy.offer_hours)
            enrolment.save()
            record_event(
                enrolment,
                LearnerEvent.Type.OFFERED,
                expires_at=enrolment.offer_expires_at.isoformat(),
                **data,
            )
            notify_learner(enrolment, "offered")
        promoted.append(enrolment)
    return promoted


@transaction.atomic
def waitlist_on_seats_changed(*, course: Course, by: User | None = None) -> list[Enrolment]:
    """A seat may have freed (withdrawal, transfer, capacity raised, course opened or created):
    offer it to the next waiting learner of the course or of a wish the course satisfies."""
    course = lock_course(course)
    return promote_locked(course, by=by)


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
    course = lock_course(enrolment.course)
    enrolment = Enrolment.objects.select_related("learner").get(pk=enrolment.pk)
    enrolment.course = course
    if enrolment.status == Status.ENROLLED:
        return enrolment
    if enrolment.status != Status.OFFERED:
        raise EnrolmentError(_("There is no open offer."), code="no_offer")
    assert enrolment.offer_expires_at is not None  # an offer has an expiry (check constraint)
    if enrolment.offer_expires_at <= timezone.now():
        _offer_pass(enrolment, why="offer_expired", by=by)
        return None
    if enrolment.source_wish_id:
        WaitlistWish.objects.filter(pk=enrolment.source_wish_id).update(
            status=WaitlistWish.Status.FULFILLED
        )
    enter(enrolment, by=by)
    return enrolment


@transaction.atomic
def offer_decline(*, enrolment: Enrolment, by: User | None = None) -> Enrolment:
    """The learner turns the offer down; the seat passes to the next learner at once."""
    course = lock_course(enrolment.course)
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
    record_event(enrolment, LearnerEvent.Type.WITHDRAWN, reason=Reason.OTHER, detail=why)
    if enrolment.source_wish_id:
        wish = WaitlistWish.objects.select_for_update().get(pk=enrolment.source_wish_id)
        wish.passed_course_ids = [*wish.passed_course_ids, enrolment.course_id]
        wish.status = WaitlistWish.Status.ACTIVE
        wish.save(update_fields=["passed_course_ids", "status"])
    promote_locked(enrolment.course, by=by)


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
            course = lock_course(enrolment.course)
            enrolment = Enrolment.objects.select_related("learner").get(pk=pk)
            expires_at = enrolment.offer_expires_at
            if enrolment.status == Status.OFFERED and expires_at is not None and expires_at <= now:
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
                assert enrolment.start_date is not None  # filtered above
                record_event(
                    enrolment,
                    LearnerEvent.Type.COURSE_STARTED,
                    start_date=enrolment.start_date.isoformat(),
                )
                count += 1
    return count
