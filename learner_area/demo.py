"""Demo data for the learner's own pages: the demo learner (``learner-demo``, Amal Haddad) gets
a reported absence for a coming course day and a calendar link, so that her home page shows the
next course day, a notice and her documents after ``./dev up``. Idempotent."""

from __future__ import annotations

from attendance import services as attendance_services
from attendance.models import AbsenceReport
from courses.models import Session
from enrolment.models import Enrolment
from learner_area.models import CalendarFeed
from learner_area.services import calendar_feed_reset


def seed(ctx) -> None:
    learner = getattr(getattr(ctx, "learner_user", None), "learner", None)
    if learner is None:
        return
    enrolment = (
        Enrolment.objects.filter(learner=learner, status=Enrolment.Status.ENROLLED)
        .order_by("course__start_date")
        .first()
    )
    if enrolment is None:
        return
    if not CalendarFeed.objects.filter(learner=learner).exists():
        calendar_feed_reset(learner=learner)
    today = attendance_services.today()
    days = list(
        Session.objects.held()
        .filter(course_id=enrolment.course_id, date__gt=today)
        .order_by("date")
        .values_list("date", flat=True)[:3]
    )
    if len(days) == 3 and not AbsenceReport.objects.filter(learner=learner).exists():
        # the third coming course day: an appointment at the immigration office
        attendance_services.absence_report_create(
            learner=learner,
            first_day=days[2],
            last_day=days[2],
            reason=AbsenceReport.Reason.AUTHORITY,
            note="Termin Ausländerbehörde",
            by=ctx.learner_user,
        )
    if getattr(ctx, "stdout", None):
        ctx.stdout.write("    learner area: the demo learner's calendar link and a report")
