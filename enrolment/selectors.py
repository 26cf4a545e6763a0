"""Reads about enrolments, waiting lists, placement tests and the start watch."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.retention import unrestricted
from courses.models import (
    Course,
    CourseQuerySet,
    Level,
    Module,
    Programme,
    Session,
    TimetableSlot,
)
from enrolment.models import (
    DEFAULT_PRIORITY_RULES,
    Enrolment,
    EnrolmentPolicy,
    PlacementResult,
    PlacementSlot,
    WaitlistWish,
)
from people.models import Entitlement, Learner, Role, User

ENROLLABLE_STATUSES = CourseQuerySet.PUBLIC_STATUSES
HELD_STATUSES = (Enrolment.Status.ENROLLED, Enrolment.Status.OFFERED)


# --- rule values ------------------------------------------------------------------------------


def policy_for(provider_id: int) -> EnrolmentPolicy:
    """The provider's enrolment rules, or an unsaved policy with the defaults."""
    policy = EnrolmentPolicy.objects.filter(provider_id=provider_id).first()
    return policy or EnrolmentPolicy(provider_id=provider_id, priority_rules=DEFAULT_PRIORITY_RULES)


# --- seats ------------------------------------------------------------------------------------


def seats_held(course: Course) -> int:
    """Enrolled learners plus open offers: an offer keeps its seat until it is taken or passes."""
    return Enrolment.objects.filter(course=course, status__in=HELD_STATUSES).count()


def seats_left(course: Course) -> int:
    return max(course.capacity - seats_held(course), 0)


def entry_module(course: Course, day: date | None = None) -> Module:
    """The module a learner joining on ``day`` starts in: the one of the next held session."""
    day = day or timezone.localdate()
    session = (
        course.sessions.held()
        .filter(date__gte=day)
        .select_related("module")
        .order_by("date")
        .first()
    )
    return session.module if session else course.first_module


def module_ue_held_before(*, course: Course, module: Module, day: date) -> int:
    """UE of ``module`` already taught in ``course`` before ``day`` (for the late-entry rule)."""
    total = (
        Session.objects.held()
        .filter(course=course, module=module, date__lt=day)
        .aggregate(total=Sum("ue"))["total"]
    )
    return total or 0


# --- waiting lists ----------------------------------------------------------------------------


@dataclass
class WaitingEntry:
    """One learner waiting for a course, either on its own list or through a wish."""

    learner: Learner
    joined_at: datetime
    enrolment: Enrolment | None = None
    wish: WaitlistWish | None = None
    position: int = 0
    flags: dict[str, bool] = field(default_factory=dict)
    key: tuple = ()

    def reason(self) -> str:
        """Why the entry stands where it does, in plain words."""
        parts = []
        if self.flags.get("obliged"):
            parts.append(_("obliged to attend"))
        if self.flags.get("jobcenter_client"):
            parts.append(_("Jobcenter client"))
        if self.flags.get("childcare"):
            parts.append(_("needs childcare"))
        parts.append(
            _("registered on %(date)s")
            % {"date": formats.date_format(self.learner.registered_on, "SHORT_DATE_FORMAT")}
        )
        parts.append(
            _("waiting since %(date)s")
            % {
                "date": formats.date_format(
                    timezone.localtime(self.joined_at).date(), "SHORT_DATE_FORMAT"
                )
            }
        )
        return _("Position %(position)s: %(reasons)s") % {
            "position": self.position,
            "reasons": ", ".join(str(p) for p in parts),
        }


def learner_flags(learner: Learner, *, on: date) -> dict[str, bool]:
    """Priority facts about a learner; needs ``entitlements`` prefetched to stay query-free."""
    valid = [e for e in learner.entitlements.all() if e.is_valid_on(on)]
    return {
        "obliged": any(e.kind == Entitlement.Kind.OBLIGATION for e in valid),
        "jobcenter_client": any(
            e.authority == Entitlement.Authority.JOBCENTER or e.jobcenter_id for e in valid
        ),
        "childcare": learner.childcare_needed,
    }


def priority_key(entry: WaitingEntry, rules: list[str]) -> tuple:
    """Sort key: each rule in order (True sorts first), then time joined, then learner id."""
    parts: list = []
    for rule in rules:
        if rule == "registered_on":
            parts.append(entry.learner.registered_on.toordinal())
        else:
            parts.append(0 if entry.flags.get(rule) else 1)
    parts.append(entry.joined_at.timestamp())
    parts.append(entry.learner.pk)
    return tuple(parts)


def wish_matches(wish: WaitlistWish, course: Course, module: Module) -> bool:
    """Does ``course`` (joined at ``module``) satisfy the wish? Needs ``locations`` prefetched."""
    if wish.learner.provider_id != course.provider_id or course.pk in (
        wish.passed_course_ids or []
    ):
        return False
    if wish.course_type is not None and wish.course_type.code != course.course_type.code:
        return False
    if wish.module_order and module.order != wish.module_order:
        return False
    if wish.level and (module.target_level or "") not in Level.family(wish.level):
        return False
    locations = [loc.pk for loc in wish.locations.all()]
    if locations and course.location_id not in locations:
        return False
    if wish.times_of_day and course.time_of_day not in wish.times_of_day:
        return False
    return not (wish.needs_childcare and not course.childcare)


_LEARNER_PREFETCH = Prefetch("learner__entitlements")


def waiting_entries(course: Course, *, on: date | None = None) -> list[WaitingEntry]:
    """Everyone waiting for ``course`` in priority order, with position and reason.

    The course's own list (status waitlisted) and active wishes the course satisfies are merged;
    a learner who already holds an active enrolment in the course is not counted twice.
    """
    on = on or timezone.localdate()
    rules = policy_for(course.provider_id).rules
    entries: list[WaitingEntry] = []
    waiting = (
        Enrolment.objects.filter(course=course, status=Enrolment.Status.WAITLISTED)
        .select_related("learner")
        .prefetch_related(_LEARNER_PREFETCH)
    )
    for enrolment in waiting:
        entries.append(
            WaitingEntry(
                learner=enrolment.learner, joined_at=enrolment.created_at, enrolment=enrolment
            )
        )
    if course.status in ENROLLABLE_STATUSES:
        active_learners = Enrolment.objects.active().filter(course=course).values("learner_id")
        wishes = (
            WaitlistWish.objects.filter(
                status=WaitlistWish.Status.ACTIVE, learner__provider_id=course.provider_id
            )
            .exclude(learner_id__in=active_learners)
            .select_related("learner", "course_type")
            .prefetch_related("locations", _LEARNER_PREFETCH)
        )
        module = entry_module(course, on)
        seen = {e.learner.pk for e in entries}
        for wish in wishes:
            if wish.learner_id not in seen and wish_matches(wish, course, module):
                seen.add(wish.learner_id)
                entries.append(
                    WaitingEntry(learner=wish.learner, joined_at=wish.created_at, wish=wish)
                )
    for entry in entries:
        entry.flags = learner_flags(entry.learner, on=on)
        entry.key = priority_key(entry, rules)
    entries.sort(key=lambda e: e.key)
    for index, entry in enumerate(entries, start=1):
        entry.position = index
    return entries


def waitlist_position(enrolment: Enrolment) -> WaitingEntry | None:
    """The enrolment's entry on its course's list (None when it is not waiting)."""
    if enrolment.status != Enrolment.Status.WAITLISTED:
        return None
    for entry in waiting_entries(enrolment.course):
        if entry.enrolment and entry.enrolment.pk == enrolment.pk:
            return entry
    return None


# --- lists for pages and the API --------------------------------------------------------------


def enrolments_on(*, course: Course | int, day: date) -> QuerySet[Enrolment]:
    """Learners who belonged to ``course`` (a course or its id) on ``day``: entered by then and
    not yet left. A learner who withdrew or completed later still belongs to that day's register.
    """
    course_id = course if isinstance(course, int) else course.pk
    # One filter() call, not four: the same SQL with fewer queryset clones on the check-in path.
    return Enrolment.objects.filter(
        Q(course_id=course_id)
        & (
            Q(status=Enrolment.Status.ENROLLED)
            | Q(
                status__in=[Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN],
                ended_on__gte=day,
            )
        )
        & (Q(start_date__isnull=True) | Q(start_date__lte=day))
        & (Q(ended_on__isnull=True) | Q(ended_on__gte=day))
    )


def course_enrolments(*, course: Course) -> QuerySet[Enrolment]:
    """All enrolments of a course for the staff page, learner and module brought along."""
    return unrestricted(Enrolment.objects.filter(course=course)).select_related("learner", "module")


def learner_enrolments(*, learner: Learner) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(learner=learner)
        .select_related("course__location", "course__course_type", "course__provider", "module")
        .order_by("-created_at")
    )


def enrolments_for_staff(*, user: User) -> QuerySet[Enrolment]:
    return unrestricted(
        Enrolment.objects.filter(course__provider_id__in=user.provider_ids(role=Role.STAFF))
    ).select_related("learner", "course", "module")


def placement_slots_for_staff(*, user: User) -> QuerySet[PlacementSlot]:
    from django.db.models import Count

    return (
        PlacementSlot.objects.filter(provider_id__in=user.provider_ids(role=Role.STAFF))
        .select_related("location", "tester")
        .annotate(booked=Count("bookings"))
    )


def matching_courses(*, result: PlacementResult, learner: Learner | None = None) -> list[Course]:
    """Open courses that fit the placement (type, start module) and the learner's needs, with seats.

    Location and time of day narrow the list only when the learner gave them; childcare is
    required when the learner needs it.
    """
    from django.db.models import Count, F

    learner = learner or result.booking.learner
    courses = (
        Course.objects.filter(
            provider_id=learner.provider_id,
            status__in=ENROLLABLE_STATUSES,
            course_type__code=result.placed_course_type.code,
        )
        .select_related("location", "course_type", "first_module")
        .annotate(held=Count("enrolments", filter=Q(enrolments__status__in=HELD_STATUSES)))
        .annotate(seats_left=F("capacity") - F("held"))
        .order_by("start_date", "pk")
    )
    if learner.childcare_needed:
        courses = courses.filter(childcare=True)
    if learner.available_times:
        courses = courses.filter(time_of_day__in=learner.available_times)
    found: list[Course] = []
    for course in courses:
        if course.seats_left <= 0:
            continue
        if entry_module(course).order != result.placed_module.order:
            continue
        found.append(course)
    return found


# --- start watch ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StartWatchRow:
    learner: Learner
    registered_on: date
    weeks_waiting: int
    programme: Programme


def start_watch(*, provider_ids, today: date | None = None) -> list[StartWatchRow]:
    """Learners registered longer than their programme's start deadline without a course start.

    Integration course 6 weeks, Berufssprachkurs 4 (``Programme.start_deadline_weeks``). The
    programme is taken from the learner's active enrolment, wish or placement result, else the
    integration course. Started means an enrolment (enrolled or completed) with entry date by today.
    """
    today = today or timezone.localdate()
    programmes = {p.code: p for p in Programme.objects.all()}
    if not programmes:
        return []
    shortest = min(p.start_deadline_weeks for p in programmes.values())
    started = Enrolment.objects.filter(
        status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED], start_date__lte=today
    ).values("learner_id")
    cutoff = date.fromordinal(today.toordinal() - 7 * shortest)
    learners = (
        Learner.objects.filter(provider_id__in=provider_ids, registered_on__lt=cutoff)
        .exclude(pk__in=started)
        .prefetch_related(
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.active().select_related(
                    "course__course_type__programme"
                ),
                to_attr="active_enrolments",
            ),
            Prefetch(
                "wishes",
                queryset=WaitlistWish.objects.exclude(
                    status=WaitlistWish.Status.CANCELLED
                ).select_related("course_type__programme"),
                to_attr="open_wishes",
            ),
            Prefetch(
                "placement_bookings__result__placed_course_type__programme",
            ),
        )
        .order_by("registered_on", "pk")
    )
    default = programmes.get("integration") or next(iter(programmes.values()))
    rows = []
    for learner in learners:
        programme = None
        for enrolment in learner.active_enrolments:
            programme = enrolment.course.course_type.programme
            break
        if programme is None:
            for wish in learner.open_wishes:
                if wish.course_type_id:
                    programme = wish.course_type.programme
                    break
        if programme is None:
            for booking in learner.placement_bookings.all():
                result = getattr(booking, "result", None)
                if result is not None:
                    programme = result.placed_course_type.programme
        programme = programme or default
        days = (today - learner.registered_on).days
        if days > 7 * programme.start_deadline_weeks:
            rows.append(StartWatchRow(learner, learner.registered_on, days // 7, programme))
    return rows


@dataclass(frozen=True)
class TimetableOverlap:
    """Another course of the learner whose weekly slots overlap ``course``'s."""

    course: Course
    slots: list[TimetableSlot]

    @property
    def times(self) -> str:
        return ", ".join(str(slot) for slot in self.slots)


def timetable_overlaps(*, learner: Learner, course: Course) -> list[TimetableOverlap]:
    """The learner's other enrolled courses whose weekly timetable overlaps ``course``'s while
    both run — a learner is in one room at a time (staff are warned at enrolment; check-in
    refuses the second session of an overlapping day)."""
    slots = list(course.timetable.all())
    if not slots:
        return []
    same_hours = Q()
    for slot in slots:
        same_hours |= Q(
            weekday=slot.weekday, start_time__lt=slot.end_time, end_time__gt=slot.start_time
        )
    others = TimetableSlot.objects.filter(
        same_hours,
        course__enrolments__learner=learner,
        course__enrolments__status=Enrolment.Status.ENROLLED,
    ).exclude(course=course)
    if course.end_date:
        others = others.filter(course__start_date__lte=course.end_date)
    others = others.filter(
        Q(course__end_date__isnull=True) | Q(course__end_date__gte=course.start_date)
    ).select_related("course__course_type", "course__location")
    by_course: dict[int, TimetableOverlap] = {}
    for slot in others.distinct().order_by("course_id", "weekday", "start_time"):
        found = by_course.setdefault(slot.course_id, TimetableOverlap(course=slot.course, slots=[]))
        found.slots.append(slot)
    return list(by_course.values())
