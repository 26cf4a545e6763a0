"""Demo volunteer work at DiakoMigra (idempotent): volunteers (one a former learner, one applying),
their requirements, a weekly language café with shifts and an intercultural event, two tandems
(one going well, one gone quiet and flagged), hours, an allowance and an Integrationslotsen
training run as a course. The login ``volunteer-demo`` is one of the volunteers.

Things that happened in the past (shifts worked, meetings, hours decided) are written directly
with their past dates, since the services only take the present; everything current goes through
the services. Keyed by user names, course titles and (volunteer, learner) pairs, so a second run
adds nothing.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from courses.models import Course, CourseType
from courses.services import course_create
from enrolment.models import Enrolment, WaitlistWish
from enrolment.services import enrolment_create
from people.demo import demo_user
from people.models import Learner, User
from volunteers import services
from volunteers.models import (
    Activity,
    AllowanceKind,
    AllowancePayment,
    ConductCheck,
    HoursEntry,
    Shift,
    ShiftAssignment,
    Tandem,
    TandemMeeting,
    Volunteer,
    VolunteerPolicy,
)
from volunteers.rules import minutes_between
from volunteers.services import LanguageEntry, Profile, Window

CAFE_TITLE = "Sprachcafé am Donnerstag"
EVENT_TITLE = "Interkulturelles Herbstfest"
TRAINING_NUMBER = "EHRENAMT-LOTSEN-1"

# username, first, last, postcode, town, roles, languages, windows, skills
VOLUNTEERS = (
    (
        "volunteer-demo",
        "Henrike",
        "Martens",
        "25421",
        "Pinneberg",
        ["cafe", "tandem"],
        [("de", "native"), ("en", "C1"), ("fr", "B1")],
        [(1, time(16), time(19)), (3, time(15), time(18))],
        ["school", "computers"],
    ),
    (
        "volunteer-ohlsen",
        "Gisela",
        "Ohlsen",
        "25469",
        "Halstenbek",
        ["tandem", "homework"],
        [("de", "native"), ("ru", "B2"), ("uk", "A2")],
        [(0, time(9), time(12)), (2, time(14), time(17))],
        ["school", "children"],
    ),
)


def _thursday_on_or_after(day: date) -> date:
    return day + timedelta(days=(3 - day.weekday()) % 7)


def _volunteer(ctx, provider, staff, spec, *, since: date) -> Volunteer:
    username, first, last, postcode, town, roles, languages, windows, skills = spec
    user = demo_user(username, first, last, ctx.password_hash)
    volunteer = Volunteer.objects.filter(user=user, provider=provider).first()
    if volunteer is None:
        volunteer = services.volunteer_signup(
            providers=[provider],
            user=user,
            profile=Profile(
                roles=roles,
                languages=[LanguageEntry(code, level) for code, level in languages],
                availability=[Window(*w) for w in windows],
                skills=skills,
                postcode=postcode,
                town=town,
                phone="0170 5550" + str(len(username)),
                location_ids=[ctx.locations[provider][0].pk],
            ),
        )[0]
        services.volunteer_accept(volunteer=volunteer, by=staff, start_date=since)
        volunteer.refresh_from_db()
    return volunteer


def _requirements(volunteer, staff, today, *, conduct_on: date | None, training: bool) -> None:
    if volunteer.requirement_records.exists():
        return
    services.requirement_record(
        volunteer=volunteer,
        code="data_protection_pledge",
        fulfilled_on=volunteer.start_date,
        by=staff,
    )
    if training:
        services.requirement_record(
            volunteer=volunteer, code="basic_training", fulfilled_on=volunteer.start_date, by=staff
        )
    if conduct_on is not None:
        services.conduct_check_record(
            volunteer=volunteer, inspected_on=conduct_on, result=ConductCheck.Result.CLEAR, by=staff
        )


def _former_learner(ctx, provider, staff, today) -> Volunteer:
    """A learner of DiakoMigra who now helps at the café and trains as an Integrationslotse."""
    username = "volunteer-former-learner"
    user = User.objects.filter(username=username).first()
    if user is None:
        # the last Arabic-speaking learner without a login (any learner without one, else)
        candidates = Learner.objects.filter(provider=provider, user__isnull=True).order_by("-pk")
        learner = candidates.filter(native_language="Arabisch").first() or candidates.first()
        user = demo_user(username, learner.first_name, learner.last_name, ctx.password_hash)
        if learner.user_id is None:
            Learner.objects.filter(pk=learner.pk).update(user=user)
    learner = Learner.objects.get(user=user)
    volunteer = Volunteer.objects.filter(user=user, provider=provider).first()
    if volunteer is None:
        volunteer = services.volunteer_signup(
            providers=[provider],
            user=user,
            profile=Profile(
                roles=["cafe", "lotse"],
                languages=[LanguageEntry("ar", "native"), LanguageEntry("de", "B2")],
                availability=[Window(3, time(15), time(19))],
                skills=["interpreting", "appointments"],
                postcode=learner.postcode,
                town=learner.town,
                date_of_birth=learner.date_of_birth,
                motivation="Ich habe selbst im Integrationskurs Deutsch gelernt.",
            ),
        )[0]
        services.volunteer_accept(
            volunteer=volunteer, by=staff, start_date=today - timedelta(days=150)
        )
        volunteer.refresh_from_db()
    _requirements(volunteer, staff, today, conduct_on=None, training=False)
    return volunteer


def _training(provider, staff, locations, volunteer, today) -> None:
    """The Integrationslotsen qualification as a course of the volunteering programme."""
    course = Course.objects.filter(provider=provider, bamf_course_number=TRAINING_NUMBER).first()
    if course is None:
        monday = today - timedelta(days=today.weekday())
        course = course_create(
            provider=provider,
            location=locations[0],
            course_type=CourseType.objects.current().get(code="integrationslotsen"),
            start_date=monday - timedelta(weeks=3) + timedelta(days=5),  # a Saturday
            slots=[{"weekday": 5, "start_time": time(10), "end_time": time(14, 30), "ue": 6}],
            status=Course.Status.RUNNING,
            is_published=False,
            bamf_course_number=TRAINING_NUMBER,
            title="Qualifizierung Integrationslots*innen (Samstage)",
            description="Für Ehrenamtliche, die Neuzugewanderte zu Ämtern und Beratungsstellen begleiten.",
        )
    learner = Learner.objects.filter(user_id=volunteer.user_id).first()
    if (
        learner is not None
        and not Enrolment.objects.filter(course=course, learner=learner).exists()
    ):
        enrolment_create(
            course=course,
            learner=learner,
            by=staff,
            entry_date=course.start_date,
            confirm_late_entry=True,
        )


def _cafe(provider, staff, location, today) -> Activity:
    activity = Activity.objects.filter(course__provider=provider, course__title=CAFE_TITLE).first()
    if activity is None:
        first = _thursday_on_or_after(today - timedelta(weeks=4))
        activity = services.activity_create(
            provider=provider,
            location=location,
            kind=Activity.Kind.CAFE,
            role="cafe",
            title=CAFE_TITLE,
            description=(
                "Deutsch sprechen bei Tee und Kuchen, in kleinen Runden mit Ehrenamtlichen. "
                "Für alle Niveaus, Kinder sind willkommen."
            ),
            first_date=first,
            start_time=time(16),
            end_time=time(18),
            weekly_until=first + timedelta(weeks=14),
            volunteers_needed=2,
            learner_signup=True,
            learner_places=15,
            by=staff,
        )
    return activity


def _event(provider, staff, location, today) -> None:
    if Activity.objects.filter(course__provider=provider, course__title=EVENT_TITLE).exists():
        return
    services.activity_create(
        provider=provider,
        location=location,
        kind=Activity.Kind.EVENT,
        role="events",
        title=EVENT_TITLE,
        description="Essen aus vielen Ländern, Musik und ein Austausch über das Ehrenamt.",
        first_date=today + timedelta(days=19),
        start_time=time(15),
        end_time=time(19),
        volunteers_needed=4,
        by=staff,
    )


def _worked(shift: Shift, volunteer: Volunteer, staff, checked: bool = True) -> None:
    """A shift in the past the volunteer took and worked (hours approved)."""
    session = shift.session
    assignment, _ = ShiftAssignment.objects.get_or_create(
        shift=shift, volunteer=volunteer, status=ShiftAssignment.Status.CLAIMED
    )
    if checked and assignment.checked_in_at is None:
        from datetime import datetime

        from django.utils import timezone

        at = timezone.make_aware(datetime.combine(session.date, session.start_time))
        ShiftAssignment.objects.filter(pk=assignment.pk).update(checked_in_at=at)
        HoursEntry.objects.get_or_create(
            shift_assignment=assignment,
            defaults={
                "volunteer": volunteer,
                "date": session.date,
                "minutes": minutes_between(session.start_time, session.end_time),
                "source": HoursEntry.Source.SHIFT,
                "activity": shift.activity,
                "status": HoursEntry.Status.APPROVED,
                "decided_by": staff,
                "decided_at": at + timedelta(days=1),
            },
        )


def _shifts(activity, volunteers, staff, today) -> None:
    shifts = list(activity.shifts.select_related("session").order_by("session__date"))
    past = [s for s in shifts if s.session.date < today]
    future = [s for s in shifts if s.session.date > today]
    for i, shift in enumerate(past):
        _worked(shift, volunteers[i % 2], staff)
        if i % 2 == 0:
            _worked(shift, volunteers[2], staff)
    # the next dates are half taken: the coordinators' figures show open places this week
    for shift in future[:3]:
        services.shift_claim(shift=shift, volunteer=volunteers[0], by=volunteers[0].user)


def _waiting_learners(provider) -> list[Learner]:
    waiting = Learner.objects.filter(provider=provider).filter(
        pk__in=Enrolment.objects.filter(status=Enrolment.Status.WAITLISTED).values("learner_id")
    ) | Learner.objects.filter(provider=provider).filter(
        pk__in=WaitlistWish.objects.filter(status=WaitlistWish.Status.ACTIVE).values("learner_id")
    )
    return list(waiting.distinct().order_by("pk"))


def _tandem(volunteer, learner, staff, today, *, started_days_ago: int, meetings: list[int]):
    tandem = Tandem.objects.filter(volunteer=volunteer, learner=learner).first()
    if tandem is not None:
        return tandem
    tandem = services.tandem_propose(
        volunteer=volunteer,
        learner=learner,
        contact_channel="whatsapp",
        contact_detail=learner.phone or "0176 0000000",
        meeting_times="dienstags 17 Uhr, Stadtbücherei Pinneberg",
        by=staff,
    )
    services.tandem_consent_give(tandem=tandem, method=Tandem.ConsentMethod.SIGNED_FORM, by=staff)
    started = today - timedelta(days=started_days_ago)
    Tandem.objects.filter(pk=tandem.pk).update(started_on=started, last_sign_of_life=started)
    tandem.refresh_from_db()
    for days_ago in meetings:
        day = today - timedelta(days=days_ago)
        meeting = TandemMeeting.objects.create(tandem=tandem, date=day, minutes=75)
        HoursEntry.objects.create(
            volunteer=volunteer,
            date=day,
            minutes=75,
            source=HoursEntry.Source.TANDEM,
            tandem_meeting=meeting,
            status=HoursEntry.Status.APPROVED if days_ago > 7 else HoursEntry.Status.PENDING,
            decided_by=staff if days_ago > 7 else None,
        )
    last = today - timedelta(days=min(meetings)) if meetings else started
    Tandem.objects.filter(pk=tandem.pk).update(last_sign_of_life=last)
    return tandem


def _allowance(volunteer, staff, today) -> None:
    if AllowancePayment.objects.filter(volunteer=volunteer).exists():
        return
    services.allowance_declare(
        volunteer=volunteer, year=today.year, kind=AllowanceKind.VOLUNTEER, by=staff
    )
    services.allowance_pay(
        volunteer=volunteer,
        kind=AllowanceKind.VOLUNTEER,
        paid_on=max(date(today.year, 1, 2), today - timedelta(days=40)),
        amount=Decimal("480.00"),
        note="Sprachcafé, erstes Halbjahr",
        by=staff,
    )
    services.expense_record(
        volunteer=volunteer,
        paid_on=max(date(today.year, 1, 2), today - timedelta(days=20)),
        amount=Decimal("23.80"),
        purpose="Monatskarte HVV, Fahrten zum Sprachcafé",
        by=staff,
    )


def _applicant(ctx, provider) -> None:
    user = demo_user("volunteer-applicant", "Mariam", "Sultani", ctx.password_hash)
    if Volunteer.objects.filter(user=user, provider=provider).exists():
        return
    services.volunteer_signup(
        providers=[provider],
        user=user,
        profile=Profile(
            roles=["cafe", "events"],
            languages=[LanguageEntry("fa", "native"), LanguageEntry("de", "B1")],
            availability=[Window(3, time(15), time(18))],
            postcode="25451",
            town="Quickborn",
            motivation="Ich möchte beim Sprachcafé helfen und Dari übersetzen.",
        ),
    )


def seed(ctx) -> None:
    provider = ctx.providers[0]  # DiakoMigra
    staff = ctx.staff[provider.pk]
    today = ctx.today
    location = ctx.locations[provider][0]
    policy, _ = VolunteerPolicy.objects.get_or_create(provider=provider)
    policy.coordinators.add(staff)
    demo, ohlsen = (
        _volunteer(ctx, provider, staff, VOLUNTEERS[0], since=today - timedelta(days=420)),
        _volunteer(ctx, provider, staff, VOLUNTEERS[1], since=today - timedelta(days=5 * 365)),
    )
    _requirements(demo, staff, today, conduct_on=today - timedelta(days=200), training=True)
    # Gisela's certificate of conduct runs out in three weeks: the reminder and the tile show it
    _requirements(
        ohlsen, staff, today, conduct_on=today - timedelta(days=5 * 365 - 21), training=True
    )
    former = _former_learner(ctx, provider, staff, today)
    _training(provider, staff, ctx.locations[provider], former, today)
    cafe = _cafe(provider, staff, location, today)
    _event(provider, staff, location, today)
    _shifts(cafe, [demo, former, ohlsen], staff, today)
    waiting = _waiting_learners(provider)
    if len(waiting) >= 2:
        _tandem(demo, waiting[0], staff, today, started_days_ago=60, meetings=[54, 40, 26, 12, 5])
        _tandem(ohlsen, waiting[1], staff, today, started_days_ago=100, meetings=[93, 79, 50])
    services.tandems_review(on=today)  # flags the quiet tandem (once) and asks "still meeting?"
    # the demo learner is asked for consent to a language buddy (her page: /buddy/)
    amal = ctx.learner_user.learner
    if not Tandem.objects.filter(learner=amal).exists():
        services.tandem_propose(
            volunteer=demo,
            learner=amal,
            contact_channel="sms",
            contact_detail=amal.phone,
            meeting_times="donnerstags nach dem Sprachcafé",
            by=staff,
        )
    _allowance(demo, staff, today)
    _applicant(ctx, provider)
    ctx.stdout.write(
        f"  volunteers: {Volunteer.objects.filter(provider=provider).count()} volunteers, "
        f"{Activity.objects.filter(course__provider=provider).count()} activities, "
        f"{Tandem.objects.filter(provider=provider).count()} tandems at {provider}"
    )
    ctx.stdout.write("    volunteer-demo         volunteer Henrike Martens at DiakoMigra")
