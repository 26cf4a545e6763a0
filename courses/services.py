"""Writes about courses: creating them and planning their sessions from the weekly timetable."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from courses.models import Course, Module, Session, TimetableSlot
from courses.signals import seats_may_have_freed
from people.models import Membership, Role, TimeOfDay, User

PLANNING_HORIZON_DAYS = 5 * 366


class CourseError(DomainError):
    pass


@dataclass(frozen=True)
class PlannedSession:
    date: date
    start_time: time
    end_time: time
    ue: int
    module: Module


@lru_cache(maxsize=64)
def public_holidays(state: str, year: int) -> frozenset[date]:
    """Public holidays of a German state in one year, from the ``holidays`` package (imported
    here: its tables take 7 MiB that a web worker only needs when sessions are generated)."""
    import holidays

    return frozenset(holidays.country_holidays("DE", subdiv=state, years=year).keys())


def is_public_holiday(day: date, state: str) -> bool:
    return day in public_holidays(state, day.year)


def time_of_day_for(start: time) -> str:
    if start < time(12, 0):
        return TimeOfDay.MORNING
    if start < time(17, 0):
        return TimeOfDay.AFTERNOON
    return TimeOfDay.EVENING


def _shorten(slot: TimetableSlot, ue: int) -> time:
    """End time of a slot that teaches only ``ue`` of its units (the last day of a module)."""
    start = datetime.combine(date.min, slot.start_time)
    full = datetime.combine(date.min, slot.end_time) - start
    return (start + full * ue / slot.ue).time().replace(microsecond=0)


@dataclass
class _ModuleLeft:
    """A module still to lay out, with the UE it still needs."""

    module: Module
    ue: int


def plan(
    *,
    slots: Iterable[TimetableSlot],
    modules: Iterable[tuple[Module, int]],
    start: date,
    state: str,
    skip: AbstractSet[tuple[date, time]] = frozenset(),
) -> Iterator[PlannedSession]:
    """Lay ``modules`` (each with the UE still to teach) onto the weekly ``slots`` from ``start``.

    Public holidays of ``state`` and the (date, start) pairs in ``skip`` are not taught. A day
    never spans two modules: the last day of a module is shortened to the UE it still needs,
    so every module ends on exactly its UE.
    """
    by_weekday: dict[int, list[TimetableSlot]] = {}
    for slot in sorted(slots, key=lambda s: (s.weekday, s.start_time)):
        by_weekday.setdefault(slot.weekday, []).append(slot)
    queue = [_ModuleLeft(module, ue) for module, ue in modules if ue > 0]
    if not queue:
        return
    if not by_weekday:
        raise CourseError(_("The course has no timetable."), code="no_timetable", field="timetable")
    day = start
    last = start + timedelta(days=PLANNING_HORIZON_DAYS)
    while queue and day <= last:
        if day.weekday() in by_weekday and not is_public_holiday(day, state):
            for slot in by_weekday[day.weekday()]:
                if not queue or (day, slot.start_time) in skip:
                    continue
                left = queue[0]
                ue = min(slot.ue, left.ue)
                end = slot.end_time if ue == slot.ue else _shorten(slot, ue)
                yield PlannedSession(day, slot.start_time, end, ue, left.module)
                left.ue -= ue
                if left.ue == 0:
                    queue.pop(0)
        day += timedelta(days=1)
    if queue:
        raise CourseError(
            _("The timetable cannot teach all units within five years."),
            code="plan_too_long",
            field="timetable",
        )


@transaction.atomic
def course_plan_sessions(*, course: Course, after: date | None = None) -> list[Session]:
    """(Re)plan the course's sessions after ``after`` (all of them when None).

    Sessions on or before ``after`` and cancelled sessions stay as they are; the UE they teach
    count as done, the rest is laid onto the timetable again. The course's end date, time of day
    and weekly UE follow from the result.
    """
    course = Course.objects.select_for_update().get(pk=course.pk)
    slots = list(course.timetable.all())
    modules = course.modules_to_teach()
    existing = course.sessions.all()
    kept = existing if after is not None else existing.none()
    kept = kept.filter(date__lte=after) if after is not None else kept
    done: dict[int, int] = {}
    for session in kept.held():
        done[session.module_id] = done.get(session.module_id, 0) + session.ue
    cancelled = set(
        existing.filter(status=Session.Status.CANCELLED).values_list("date", "start_time")
    )
    future = existing.filter(status=Session.Status.PLANNED)
    if after is not None:
        future = future.filter(date__gt=after)
    future.delete()
    start = max(course.start_date, after + timedelta(days=1)) if after else course.start_date
    planned = plan(
        slots=slots,
        modules=[(m, m.ue - done.get(m.pk, 0)) for m in modules],
        start=start,
        state=course.location.state,
        skip=cancelled,
    )
    created = Session.objects.bulk_create(
        Session(
            course=course,
            module=p.module,
            date=p.date,
            start_time=p.start_time,
            end_time=p.end_time,
            ue=p.ue,
        )
        for p in planned
    )
    last = course.sessions.held().order_by("-date").values_list("date", flat=True).first()
    course.end_date = last
    course.ue_per_week = sum(s.ue for s in slots)
    course.time_of_day = time_of_day_for(min(s.start_time for s in slots)) if slots else ""
    course.save(update_fields=["end_date", "ue_per_week", "time_of_day", "updated_at"])
    return created


@transaction.atomic
def session_cancel(*, session: Session, reason: str, by: User | None = None) -> Session:
    """Cancel a course day; the UE it would have taught move to the end, and so does the end date."""
    if not reason.strip():
        raise CourseError(
            _("Give a reason for the cancellation."), code="reason_required", field="reason"
        )
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        return session
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason
    session.save(update_fields=["status", "cancel_reason"])
    course_plan_sessions(course=session.course, after=session.date)
    session.refresh_from_db()
    return session


#: Plausibility of a course plan (not legal limits): a plan beyond these is saved only after
#: the person confirms it. An integration course of 700 UE takes about 9 months full time
#: (20–25 UE a week) and about 18 months part time.
PLAUSIBLE_MONTHS = 18
PLAUSIBLE_UE_PER_WEEK = (8, 40)


def course_plan_warnings(course: Course) -> list[str]:
    """What looks wrong with the course's planned sessions, in words for the person planning it
    (empty: plausible): an end date far away, too few or too many UE a week."""
    warnings = []
    low, high = PLAUSIBLE_UE_PER_WEEK
    if course.ue_per_week and course.ue_per_week < low:
        warnings.append(
            _("Only %(ue)d UE a week (usual: at least %(low)d).")
            % {"ue": course.ue_per_week, "low": low}
        )
    if course.ue_per_week > high:
        warnings.append(
            _("%(ue)d UE a week is more than %(high)d: check the timetable's UE.")
            % {"ue": course.ue_per_week, "high": high}
        )
    if course.end_date:
        months = (course.end_date.year - course.start_date.year) * 12 + (
            course.end_date.month - course.start_date.month
        )
        if months > PLAUSIBLE_MONTHS:
            warnings.append(
                _(
                    "The plan ends on %(end)s, %(months)d months after the start (more than "
                    "%(limit)d)."
                )
                % {
                    "end": f"{course.end_date:%d.%m.%Y}",
                    "months": months,
                    "limit": PLAUSIBLE_MONTHS,
                }
            )
    return warnings


def _check_plan(course: Course, confirm_plan: bool | None) -> None:
    """Refuse an implausible plan unless confirmed. ``None``: the caller does not ask (imports,
    demo data, internal replanning)."""
    if confirm_plan is not False:
        return
    warnings = course_plan_warnings(course)
    if warnings:
        raise CourseError(
            " ".join(warnings)
            + " "
            + _("Check the timetable and start date, or confirm that the plan is intended."),
            code="implausible_plan",
            field="timetable",
        )


def _start_date_check(start_date: date) -> None:
    """The field's own validator (``core.validators.DateInRange``), for callers without a form."""
    try:
        Course._meta.get_field("start_date").run_validators(start_date)
    except ValidationError as exc:
        raise CourseError(exc.messages[0], code="date_out_of_range", field="start_date") from exc


@transaction.atomic
def course_create(
    *,
    provider,
    location,
    course_type,
    start_date: date,
    slots: Iterable[dict],
    first_module: Module | None = None,
    capacity: int | None = None,
    teachers: Iterable[User] = (),
    by: User | None = None,
    confirm_plan: bool | None = None,
    **fields,
) -> Course:
    """Create a course with its weekly timetable and plan its sessions.

    With ``confirm_plan=False`` an implausible plan (``course_plan_warnings``) is refused with
    code ``implausible_plan``, and nothing is saved; pages and the API ask first and pass
    ``True`` once the person confirmed.

    The location must belong to the provider; capacity defaults to the course type's group size
    (25, literacy courses 16) and may not exceed it; teachers must teach for the provider.
    """
    _start_date_check(start_date)
    if location.organisation_id != provider.pk:
        raise CourseError(
            _("The location belongs to another provider."),
            code="foreign_location",
            field="location",
        )
    first_module = first_module or course_type.modules.order_by("order").first()
    if first_module is None or first_module.course_type_id != course_type.pk:
        raise CourseError(
            _("The first module must belong to the course type."),
            code="foreign_module",
            field="first_module",
        )
    capacity = capacity or course_type.max_group_size
    if capacity > course_type.max_group_size:
        raise CourseError(
            _("At most %(n)s learners fit in this course type.")
            % {"n": course_type.max_group_size},
            code="capacity_too_high",
            field="capacity",
        )
    teachers = list(teachers)
    if teachers:
        _check_teachers(provider_id=provider.pk, teachers=teachers)
    course = Course.objects.create(
        provider=provider,
        location=location,
        course_type=course_type,
        first_module=first_module,
        capacity=capacity,
        start_date=start_date,
        **fields,
    )
    TimetableSlot.objects.bulk_create(TimetableSlot(course=course, **slot) for slot in slots)
    if teachers:
        course.teachers.set(teachers)
    course_plan_sessions(course=course)
    course.refresh_from_db()
    _check_plan(course, confirm_plan)
    seats_may_have_freed.send(sender=Course, course=course, by=by)
    return course


def _check_teachers(*, provider_id: int, teachers: Iterable[User]) -> None:
    """Only people holding the teacher role at the provider may teach its courses."""
    allowed = set(
        Membership.objects.filter(organisation_id=provider_id, role=Role.TEACHER).values_list(
            "user_id", flat=True
        )
    )
    if any(t.pk not in allowed for t in teachers):
        raise CourseError(
            _("Teachers must teach for the course's provider."),
            code="foreign_teacher",
            field="teachers",
        )


#: The description in each language (German is the original; the others are translations staff
#: may add for learners, see courses/translation.py).
DESCRIPTION_TRANSLATIONS = tuple(f"description_{code}" for code, _name in settings.LANGUAGES)

UPDATABLE_FIELDS = frozenset(
    {
        "title",
        "room",
        "bamf_course_number",
        "capacity",
        "format",
        "childcare",
        "status",
        "is_published",
        "description",
        *DESCRIPTION_TRANSLATIONS,
        "waitlist_auto_enrol",
        "location",
        "start_date",
        "slots",
        "teachers",
    }
)


@transaction.atomic
def course_update(
    *, course: Course, by: User | None = None, confirm_plan: bool | None = None, **changes
) -> Course:
    """Change a course. The course row is locked, so seats cannot change under the check.

    Capacity may not exceed the course type's group size nor fall below the seats held
    (enrolled learners and open offers). The start date and the timetable may change only before the course starts; the
    sessions are then planned again. When seats may have freed (more capacity, or the course
    opens) the waiting list is told.
    """
    if "start_date" in changes:
        _start_date_check(changes["start_date"])
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise CourseError(
            _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))},
            code="not_updatable",
            field=sorted(unknown)[0],
        )
    course = (
        Course.objects.select_for_update()
        .select_related("course_type", "location", "provider")
        .get(pk=course.pk)
    )
    old_capacity, old_status = course.capacity, course.status
    teachers = changes.pop("teachers", None)
    slots = changes.pop("slots", None)
    replan = slots is not None or (
        "start_date" in changes and changes["start_date"] != course.start_date
    )

    location = changes.get("location")
    if location is not None and location.organisation_id != course.provider_id:
        raise CourseError(
            _("The location belongs to another provider."),
            code="foreign_location",
            field="location",
        )
    if "capacity" in changes:
        capacity = changes["capacity"]
        if capacity > course.course_type.max_group_size:
            raise CourseError(
                _("At most %(n)s learners fit in this course type.")
                % {"n": course.course_type.max_group_size},
                code="capacity_too_high",
                field="capacity",
            )
        if capacity < course.seats_held:
            raise CourseError(
                _(
                    "%(n)s seats are taken by enrolled learners and open offers; the capacity "
                    "cannot be lower."
                )
                % {"n": course.seats_held},
                code="capacity_below_enrolled",
                field="capacity",
            )
    if replan:
        from django.utils import timezone

        today = timezone.localdate()
        if course.start_date <= today or changes.get("start_date", course.start_date) <= today:
            raise CourseError(
                _("The start date and timetable can only change before the course starts."),
                code="already_started",
                field="timetable" if slots is not None else "start_date",
            )
    if teachers is not None:
        _check_teachers(provider_id=course.provider_id, teachers=teachers)

    for name, value in changes.items():
        setattr(course, name, value)
    if replan:
        course.end_date = None  # derived again from the new sessions below
    course.full_clean(exclude=["provider", "course_type", "first_module", "teachers"])
    course.save()
    if teachers is not None:
        course.teachers.set(teachers)
    if slots is not None:
        course.timetable.all().delete()
        TimetableSlot.objects.bulk_create(TimetableSlot(course=course, **slot) for slot in slots)
    if replan:
        course_plan_sessions(course=course)
        course.refresh_from_db()
        _check_plan(course, confirm_plan)
    if course.capacity > old_capacity or (
        course.status == Course.Status.OPEN and old_status != Course.Status.OPEN
    ):
        seats_may_have_freed.send(sender=Course, course=course, by=by)
    return course
