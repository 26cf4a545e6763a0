"""A volunteer's yearly record (hours by activity, trainings, allowances) and the day of their
last activity (the retention of the certificate-of-conduct record runs from it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from attendance.selectors import attendance_figures
from enrolment.models import Enrolment
from volunteers.models import (
    AllowanceKind,
    AllowanceLimit,
    AllowancePayment,
    ExpenseReimbursement,
    HoursEntry,
    Volunteer,
)
from volunteers.models.retention import last_activity

VOLUNTEERING_PROGRAMME = "volunteering"
ACTIVITY_COURSE_TYPE = "volunteer_activity"


@dataclass(frozen=True)
class ActivityHours:
    label: str
    minutes: int
    dates: int

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class TrainingLine:
    title: str
    date_from: date
    date_to: date | None
    ue_attended: Decimal
    completed: bool


@dataclass(frozen=True)
class AllowanceLine:
    kind: str
    label: str
    paid: Decimal
    limit: Decimal | None


@dataclass(frozen=True)
class YearlyRecord:
    volunteer: Volunteer
    year: int
    activities: list[ActivityHours]
    pending_minutes: int
    trainings: list[TrainingLine]
    allowances: list[AllowanceLine]
    expenses: Decimal

    @property
    def minutes(self) -> int:
        return sum(a.minutes for a in self.activities)

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.minutes) / 60).quantize(Decimal("0.1"))

    @property
    def pending_hours(self) -> Decimal:
        return (Decimal(self.pending_minutes) / 60).quantize(Decimal("0.1"))

    @property
    def is_empty(self) -> bool:
        return not self.activities and not self.trainings


def _cents(value) -> Decimal:
    """Money as euros and cents (SQLite sums decimals as floats)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def training_enrolments(volunteer: Volunteer, *, year: int | None = None):
    """The volunteer's places in trainings of the provider (courses of the volunteering
    programme, not its activities), through their learner record."""
    qs = Enrolment.objects.filter(
        learner__user_id=volunteer.user_id,
        course__provider_id=volunteer.provider_id,
        course__course_type__programme__code=VOLUNTEERING_PROGRAMME,
        status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED],
    ).exclude(course__course_type__code=ACTIVITY_COURSE_TYPE)
    if year is not None:
        qs = qs.filter(course__start_date__lte=date(year, 12, 31)).filter(
            Q(course__end_date__isnull=True) | Q(course__end_date__gte=date(year, 1, 1))
        )
    return qs.select_related("course__course_type", "learner").order_by("course__start_date")


def yearly_record(volunteer: Volunteer, year: int) -> YearlyRecord:
    """Approved hours by activity, hours waiting for approval, trainings, allowances and
    expenses of one calendar year. A fixed number of queries."""
    hours = HoursEntry.objects.filter(volunteer=volunteer, date__year=year)
    rows = (
        hours.filter(status=HoursEntry.Status.APPROVED)
        .values("source", "activity__course__title")
        .annotate(minutes=Sum("minutes"), dates=Count("date", distinct=True))
        .order_by("source", "activity__course__title")
    )
    labels = dict(HoursEntry.Source.choices)
    activities = [
        ActivityHours(
            label=row["activity__course__title"] or str(labels.get(row["source"], row["source"])),
            minutes=row["minutes"],
            dates=row["dates"],
        )
        for row in rows
    ]
    pending = hours.filter(status=HoursEntry.Status.PENDING).aggregate(m=Sum("minutes"))["m"] or 0
    until = min(date(year, 12, 31), timezone.localdate())
    enrolments = list(training_enrolments(volunteer, year=year))
    figures = attendance_figures(enrolments, until=until) if enrolments else {}
    trainings = [
        TrainingLine(
            title=e.course.title or e.course.course_type.name,
            date_from=e.course.start_date,
            date_to=e.course.end_date,
            ue_attended=figures[e.pk].ue_attended if e.pk in figures else Decimal(0),
            completed=e.status == Enrolment.Status.COMPLETED,
        )
        for e in enrolments
    ]
    paid = {
        row["kind"]: row["total"]
        for row in AllowancePayment.objects.filter(volunteer=volunteer, paid_on__year=year)
        .values("kind")
        .annotate(total=Sum("amount"))
        .order_by()
    }
    allowances = []
    for kind, label in AllowanceKind.choices:
        if kind in paid:
            limit = AllowanceLimit.for_year(kind, year)
            allowances.append(
                AllowanceLine(
                    kind, str(label), _cents(paid[kind]), limit.yearly_limit if limit else None
                )
            )
    expenses = ExpenseReimbursement.objects.filter(
        volunteer=volunteer, paid_on__year=year
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return YearlyRecord(
        volunteer, year, activities, pending, trainings, allowances, _cents(expenses)
    )


def volunteer_last_activity(volunteer: Volunteer) -> date | None:
    """The last day the volunteer was active for the provider; None while a tandem of theirs
    runs (ongoing activity) or if they never were.

    The latest of: the start and end of volunteering, a shift they were checked in to, a
    tandem's start or end, a tandem meeting, a day of hours entered (not rejected). The
    certificate-of-conduct record is deleted six months after this day (§ 30a BZRG): the
    retention job reads the same expression (``volunteers.models.retention``).
    """
    return (
        Volunteer.objects.filter(pk=volunteer.pk)
        .annotate(last=last_activity())
        .values_list("last", flat=True)
        .first()
    )


def proof_facts_name(volunteer: Volunteer) -> str:
    """Initial and surname, as the verification page shows a certificate's holder."""
    user = volunteer.user
    initial = user.first_name[:1].upper()
    return f"{initial}. {user.last_name}" if initial else user.last_name or _("Volunteer")
