"""Reads about courses: the public catalogue and a course's page, with what the caller touches."""

from __future__ import annotations

from functools import cache

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Greatest

from courses.models import Course, CourseQuerySet, CourseType, Level, Module, TimetableSlot
from people.models import Location, Organisation


def with_seats(qs: QuerySet[Course]) -> QuerySet[Course]:
    """Annotate ``seats_left``: capacity minus the seats held (enrolled learners and open offers,
    counted by the enrolment services on the course row), never below 0."""
    return qs.annotate(seats_left=Greatest(F("capacity") - F("seats_held"), Value(0)))


def covering_level(qs: QuerySet[Course], level: str) -> QuerySet[Course]:
    """Courses that teach towards ``level`` (a main level matches its sub-levels).

    A course covers the target levels of its modules from its first module onward, and its
    course type's target level.
    """
    family = Level.family(level)
    modules = Module.objects.filter(
        course_type=OuterRef("course_type"),
        order__gte=OuterRef("first_module__order"),
        target_level__in=family,
    )
    return qs.filter(Exists(modules) | Q(course_type__target_level__in=family))


@cache
def _catalogue_template() -> QuerySet[Course]:
    # Built once per process: annotating and joining costs about as much as running the query.
    # Never evaluated itself; callers get a clone.
    return with_seats(
        Course.objects.public().select_related(
            "provider", "location", "course_type", "first_module"
        )
    ).order_by("start_date", "pk")


def catalogue_base() -> QuerySet[Course]:
    """Published courses in public statuses, with everything a catalogue card shows."""
    return _catalogue_template().all()


CARD_FIELDS = (
    "id",
    "title",
    "course_type__code",
    "course_type__name",
    "course_type__target_level",
    "provider_id",
    "provider__name",
    "location_id",
    "location__name",
    "location__town",
    "first_module__target_level",
    "time_of_day",
    "start_date",
    "end_date",
    "ue_per_week",
    "format",
    "childcare",
    "status",
    "capacity",
    "seats_left",
)


def catalogue_cards(qs: QuerySet[Course]) -> QuerySet:
    """The catalogue rows as plain values (no model instances: the API listing is hot)."""
    return qs.values(*CARD_FIELDS)


def course_detail_qs() -> QuerySet[Course]:
    """Courses with their timetable and the course type's modules prefetched."""
    return with_seats(
        Course.objects.select_related(
            "provider", "location", "course_type", "course_type__programme", "first_module"
        ).prefetch_related(
            Prefetch("timetable", queryset=TimetableSlot.objects.order_by("weekday", "start_time")),
            Prefetch("course_type__modules", queryset=Module.objects.order_by("order")),
        )
    )


def catalogue_locations() -> QuerySet[Location]:
    """Locations of providers (choices of the catalogue's location filter)."""
    return Location.objects.filter(organisation__kind=Organisation.Kind.PROVIDER).order_by(
        "town", "name"
    )


def catalogue_providers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).order_by("name")


def current_course_types() -> QuerySet[CourseType]:
    return (
        CourseType.objects.current().select_related("programme").order_by("programme__name", "name")
    )


def visible_course(*, user, pk: int) -> Course:
    """A course for its page: published and public, or any course of the user's providers (staff).

    Everything else is 404, so an unpublished course cannot be told from a missing one.
    """
    from django.shortcuts import get_object_or_404

    from people.models import Role

    visible = Q(status__in=CourseQuerySet.PUBLIC_STATUSES, is_published=True)
    staff_ids = user.provider_ids(role=Role.STAFF) if user.is_authenticated else []
    if staff_ids:
        visible |= Q(provider_id__in=staff_ids)
    return get_object_or_404(course_detail_qs().filter(visible), pk=pk)
