"""Activities and shifts: create a language café (or homework help, an event) with its dates,
claim and give back shifts, check volunteers in by the session QR, let learners sign up.

An activity is a course of the volunteering programme (``volunteer_activity``), kept out of the
course catalogue; its dates are the course's sessions, written here from the activity's own
rhythm (weekly on a weekday, or once) because it has no modules to plan. The session QR, the
check-in window and the QR screen are the attendance app's, unchanged.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from attendance.participants import ParticipantCheckin
from core.errors import ConflictError, PermissionDeniedError
from courses.models import Course, CourseType, Session, TimetableSlot
from courses.services import is_public_holiday, time_of_day_for
from people.models import Learner, Location, Organisation, User
from volunteers.models import (
    Activity,
    ActivitySignup,
    HoursEntry,
    Shift,
    ShiftAssignment,
    Volunteer,
    VolunteerRole,
)
from volunteers.rules import minutes_between, ue_for
from volunteers.services.base import VolunteerError, mail_after_commit, now, today
from volunteers.services.requirements import assignment_check

ACTIVITY_COURSE_TYPE = "volunteer_activity"
MAX_WEEKS_AHEAD = 53


def _dates(first: date, until: date | None, state: str) -> list[date]:
    """The first date, then weekly up to ``until``, without the state's public holidays."""
    days = [first]
    if until is not None:
        day = first + timedelta(weeks=1)
        while day <= until:
            days.append(day)
            day += timedelta(weeks=1)
    return [d for d in days if not is_public_holiday(d, state)]


def _add_dates(activity: Activity, days: list[date], start: time, end: time) -> int:
    course = activity.course
    existing = set(course.sessions.values_list("date", flat=True))
    module = course.first_module
    created = Session.objects.bulk_create(
        Session(
            course=course,
            module=module,
            date=d,
            start_time=start,
            end_time=end,
            ue=ue_for(start, end),
        )
        for d in days
        if d not in existing
    )
    # bulk_create returns rows without ids on some databases: read them back by date
    new_days = [s.date for s in created]
    Shift.objects.bulk_create(
        Shift(activity=activity, session=s, places=activity.volunteers_needed)
        for s in course.sessions.filter(date__in=new_days)
    )
    last = course.sessions.held().order_by("-date").values_list("date", flat=True).first()
    Course.objects.filter(pk=course.pk).update(end_date=last)
    return len(new_days)


@transaction.atomic
def activity_create(
    *,
    provider: Organisation,
    location: Location,
    kind: str,
    role: str,
    title: str,
    first_date: date,
    start_time: time,
    end_time: time,
    weekly_until: date | None = None,
    volunteers_needed: int = 2,
    learner_signup: bool = False,
    learner_places: int | None = None,
    is_public: bool = True,
    description: str = "",
    by: User | None = None,
) -> Activity:
    """Create an activity with its dates (once, or weekly until ``weekly_until``) and a shift of
    ``volunteers_needed`` places on each date. Public holidays of the location's state are
    left out, as for courses."""
    if location.organisation_id != provider.pk:
        raise VolunteerError(
            _("The location belongs to another provider."),
            code="foreign_location",
            field="location",
        )
    if kind not in Activity.Kind.values:
        raise VolunteerError(_("Choose a kind of activity."), code="kind_required", field="kind")
    if role not in VolunteerRole.values:
        raise VolunteerError(_("Choose a volunteer role."), code="role_required", field="role")
    if not title.strip():
        raise VolunteerError(_("Give the activity a title."), code="title_required", field="title")
    if end_time <= start_time:
        raise VolunteerError(
            _("The end must be after the start."), code="end_before_start", field="end_time"
        )
    if weekly_until is not None and not (
        first_date <= weekly_until <= first_date + timedelta(weeks=MAX_WEEKS_AHEAD)
    ):
        raise VolunteerError(
            _("Weekly dates can be planned for up to a year."),
            code="until_out_of_range",
            field="weekly_until",
        )
    if volunteers_needed < 1:
        raise VolunteerError(
            _("At least one volunteer is needed."),
            code="places_required",
            field="volunteers_needed",
        )
    if learner_signup and not learner_places:
        raise VolunteerError(
            _("Say how many learners can sign up."),
            code="learner_places_required",
            field="learner_places",
        )
    course_type = CourseType.objects.current().filter(code=ACTIVITY_COURSE_TYPE).first()
    if course_type is None:
        raise VolunteerError(_("The activity course type is missing."), code="no_course_type")
    course = Course.objects.create(
        provider=provider,
        location=location,
        course_type=course_type,
        first_module=course_type.modules.order_by("order").first(),
        title=title.strip(),
        capacity=1,  # learners sign up per date (Activity.learner_places), not for seats
        status=Course.Status.RUNNING,
        is_published=False,  # shown on the "Practise German" page, not in the course catalogue
        start_date=first_date,
        time_of_day=time_of_day_for(start_time),
        description=description,
    )
    if weekly_until is not None:
        TimetableSlot.objects.create(
            course=course,
            weekday=first_date.weekday(),
            start_time=start_time,
            end_time=end_time,
            ue=ue_for(start_time, end_time),
        )
    activity = Activity.objects.create(
        course=course,
        kind=kind,
        role=role,
        volunteers_needed=volunteers_needed,
        learner_signup=learner_signup,
        learner_places=learner_places if learner_signup else None,
        is_public=is_public,
    )
    _add_dates(activity, _dates(first_date, weekly_until, location.state), start_time, end_time)
    return activity


@transaction.atomic
def activity_dates_extend(*, activity: Activity, until: date) -> int:
    """Add the weekly dates after the last one up to ``until``; returns how many were added."""
    activity = Activity.objects.select_related("course__location").get(pk=activity.pk)
    Course.objects.select_for_update().get(pk=activity.course_id)
    slot = activity.course.timetable.first()
    if slot is None:
        raise VolunteerError(_("This activity does not repeat."), code="not_weekly")
    last = activity.course.sessions.order_by("-date").values_list("date", flat=True).first()
    if until > today() + timedelta(weeks=MAX_WEEKS_AHEAD) or last is None or until <= last:
        raise VolunteerError(
            _("Choose a day after the last date, within a year."),
            code="until_out_of_range",
            field="until",
        )
    days = _dates(last, until, activity.course.location.state)[1:]
    return _add_dates(activity, days, slot.start_time, slot.end_time)


@transaction.atomic
def activity_date_cancel(*, session: Session, reason: str, by: User) -> Session:
    """Cancel one date: its shifts are given back (the volunteers are told) and sign-ups end."""
    if not reason.strip():
        raise VolunteerError(
            _("Give a reason for the cancellation."), code="reason_required", field="reason"
        )
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        return session
    Session.objects.filter(pk=session.pk).update(
        status=Session.Status.CANCELLED, cancel_reason=reason.strip()
    )
    session.status, session.cancel_reason = Session.Status.CANCELLED, reason.strip()
    claimed = ShiftAssignment.objects.filter(
        shift__session=session, status=ShiftAssignment.Status.CLAIMED
    )
    users = list(claimed.values_list("volunteer__user_id", flat=True))
    claimed.update(status=ShiftAssignment.Status.CANCELLED, cancelled_at=now())
    ActivitySignup.objects.filter(session=session, cancelled_at__isnull=True).update(
        cancelled_at=now()
    )
    mail_after_commit(
        kind="shift_cancelled",
        user_ids=users,
        context={"session_id": session.pk, "reason": session.cancel_reason},
    )
    return session


# --- shifts ----------------------------------------------------------------------------------


@transaction.atomic
def shift_claim(*, shift: Shift, volunteer: Volunteer, by: User | None = None) -> ShiftAssignment:
    """Take a place on a shift (the volunteer, or staff for them).

    The shift row is locked first, so two volunteers cannot both take its last place. The
    volunteer must be active at the activity's provider and meet the role's requirements on the
    day of the shift. Claiming again returns the existing claim.
    """
    shift = (
        Shift.objects.select_for_update(of=("self",))
        .select_related("activity__course", "session")
        .get(pk=shift.pk)
    )
    volunteer = Volunteer.objects.select_related("user").get(pk=volunteer.pk)
    if volunteer.provider_id != shift.activity.course.provider_id:
        raise PermissionDeniedError(
            _("You do not volunteer for this organisation."), code="foreign_shift"
        )
    if volunteer.status != Volunteer.Status.ACTIVE:
        raise VolunteerError(
            _("Only active volunteers can take shifts."), code="not_active", field="volunteer"
        )
    session = shift.session
    if session.status == Session.Status.CANCELLED:
        raise VolunteerError(_("This date is cancelled."), code="session_cancelled")
    if session.date < today():
        raise VolunteerError(_("This date is in the past."), code="shift_past")
    existing = shift.assignments.filter(
        volunteer=volunteer, status=ShiftAssignment.Status.CLAIMED
    ).first()
    if existing is not None:
        return existing
    assignment_check(volunteer=volunteer, role=shift.activity.role, on=session.date)
    if shift.assignments.filter(status=ShiftAssignment.Status.CLAIMED).count() >= shift.places:
        raise ConflictError(_("This shift is already full."), code="shift_full")
    try:
        with transaction.atomic():
            return ShiftAssignment.objects.create(
                shift=shift, volunteer=volunteer, assigned_by=by if by != volunteer.user else None
            )
    except IntegrityError as exc:  # the same claim at the same moment (database without locks)
        raise ConflictError(_("You already have this shift."), code="duplicate") from exc


@transaction.atomic
def shift_release(*, assignment: ShiftAssignment, by: User) -> ShiftAssignment:
    """Give a shift back before its day (the volunteer or staff); the place is free again."""
    assignment = (
        ShiftAssignment.objects.select_for_update(of=("self",))
        .select_related("shift__session")
        .get(pk=assignment.pk)
    )
    if assignment.status != ShiftAssignment.Status.CLAIMED:
        return assignment
    if assignment.checked_in_at is not None or assignment.shift.session.date < today():
        raise VolunteerError(
            _("A shift that has taken place cannot be given back."), code="shift_past"
        )
    assignment.status = ShiftAssignment.Status.CANCELLED
    assignment.cancelled_at = now()
    assignment.save(update_fields=["status", "cancelled_at"])
    return assignment


def _record_presence(assignment: ShiftAssignment, at: datetime) -> bool:
    """Mark the assignment checked in (once) and write its hours for approval."""
    with transaction.atomic():
        changed = ShiftAssignment.objects.filter(
            pk=assignment.pk, checked_in_at__isnull=True
        ).update(checked_in_at=at)
        if not changed:
            return False
        session = assignment.shift.session
        HoursEntry.objects.get_or_create(
            shift_assignment=assignment,
            defaults={
                "volunteer_id": assignment.volunteer_id,
                "date": session.date,
                "minutes": minutes_between(session.start_time, session.end_time),
                "source": HoursEntry.Source.SHIFT,
                "activity_id": assignment.shift.activity_id,
            },
        )
    assignment.checked_in_at = at
    return True


def shift_checkin(*, session: Session, user: User, at: datetime) -> ParticipantCheckin | None:
    """The attendance check-in's answer for a volunteer on a shift (registered in apps.py).

    The token and the check-in window are already checked. A volunteer of the provider without
    a shift that day is told to claim one; anyone else is none of this app's business (None).
    """
    if not Shift.objects.filter(session_id=session.pk).exists():
        return None
    assignment = (
        ShiftAssignment.objects.filter(
            shift__session_id=session.pk,
            volunteer__user_id=user.pk,
            status=ShiftAssignment.Status.CLAIMED,
        )
        .select_related("shift__session", "shift__activity")
        .first()
    )
    if assignment is None:
        if Volunteer.objects.filter(
            user_id=user.pk, provider_id=session.course.provider_id
        ).exists():
            raise PermissionDeniedError(
                _("You have no shift on this date. Please take a free shift first."),
                code="no_shift",
            )
        return None
    created = _record_presence(assignment, at)
    return ParticipantCheckin(
        session=session,
        created=created,
        record_id=assignment.pk,
        detail=_("You are checked in for your shift. Thank you!")
        if created
        else _("You were already checked in for this shift."),
    )


@transaction.atomic
def shift_checkin_by_staff(*, assignment: ShiftAssignment, by: User) -> ShiftAssignment:
    """Staff confirm a volunteer was there (no phone, or the QR did not work)."""
    assignment = ShiftAssignment.objects.select_related("shift__session").get(pk=assignment.pk)
    if assignment.status != ShiftAssignment.Status.CLAIMED:
        raise VolunteerError(_("This shift was given back."), code="not_claimed")
    session = assignment.shift.session
    if session.date > today():
        raise VolunteerError(_("This date has not come yet."), code="shift_future")
    _record_presence(assignment, now())
    return assignment


# --- learners --------------------------------------------------------------------------------


@transaction.atomic
def activity_signup(*, session: Session, learner: Learner) -> ActivitySignup:
    """A learner signs up for one date; the session row is locked so places cannot overflow."""
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
    )
    activity = Activity.objects.filter(course_id=session.course_id).first()
    if (
        activity is None
        or not activity.learner_signup
        or activity.learner_places is None  # the check constraint lets NULL through
        or not activity.is_public
    ):
        raise VolunteerError(_("This date takes no sign-ups."), code="no_signup")
    if session.status == Session.Status.CANCELLED:
        raise VolunteerError(_("This date is cancelled."), code="session_cancelled")
    if session.date < today():
        raise VolunteerError(_("This date is in the past."), code="session_past")
    existing = ActivitySignup.objects.filter(
        session=session, learner=learner, cancelled_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    taken = ActivitySignup.objects.filter(session=session, cancelled_at__isnull=True).count()
    if taken >= activity.learner_places:
        raise ConflictError(_("All places on this date are taken."), code="signup_full")
    return ActivitySignup.objects.create(session=session, learner=learner)


@transaction.atomic
def activity_signup_cancel(*, signup: ActivitySignup) -> ActivitySignup:
    if signup.cancelled_at is None:
        signup.cancelled_at = now()
        signup.save(update_fields=["cancelled_at"])
    return signup
