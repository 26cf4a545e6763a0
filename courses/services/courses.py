"""Creating and changing a course with its weekly timetable and teachers; both plan the sessions
and tell the waiting list (through ``seats_may_have_freed``) when seats may have freed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import Course, Module, TimetableSlot
from courses.services.base import CourseError
from courses.services.planning import check_plan, course_plan_sessions
from courses.signals import seats_may_have_freed
from people.models import Membership, Role, User


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
    check_plan(course, confirm_plan)
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
        check_plan(course, confirm_plan)
    if course.capacity > old_capacity or (
        course.status == Course.Status.OPEN and old_status != Course.Status.OPEN
    ):
        seats_may_have_freed.send(sender=Course, course=course, by=by)
    return course
