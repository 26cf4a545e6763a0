"""Demo data of billing: the InGe outbox (``billing.inge.demo``) with reports in every state,
and an own contribution: a paying learner of a running course (the demo learner, Amal Haddad,
when she pays) has paid part of the first module's contribution — a receipt on her documents
page — and got the first reminder for the rest. Idempotent: the payment and the reminder are
made once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.conf import settings

from attendance.services.base import today as register_today
from billing.inge import demo as inge_demo
from billing.models import ContributionPayment, FeeExemption
from billing.selectors.own_contributions import contributions_due
from billing.services import claim_open, payment_record, reminder_send
from courses.models import Course, Session
from enrolment.models import Enrolment

FIRST_PAYMENT = Decimal("100.00")


def _candidates(ctx) -> list[Enrolment]:
    learner = getattr(getattr(ctx, "learner_user", None), "learner", None)
    running = Enrolment.objects.filter(
        status=Enrolment.Status.ENROLLED,
        course__status=Course.Status.RUNNING,
        learner__fee_exempt=False,
    ).select_related("course", "learner", "course__course_type")
    exempt = FeeExemption.objects.values("learner_id")
    mine = list(running.filter(learner=learner)) if learner is not None else []
    return mine + list(
        running.exclude(learner_id__in=exempt).order_by("course__start_date", "pk")[:20]
    )


def seed(ctx) -> None:
    inge_demo.seed(ctx)
    _seed_contribution(ctx)


def _seed_contribution(ctx) -> None:
    steps = tuple(settings.CONTRIBUTION_REMINDER_DAYS) or (14,)
    today = min(ctx.today, register_today())
    staff_of = ctx.staff
    for enrolment in _candidates(ctx):
        course = enrolment.course
        first = (
            Session.objects.held()
            .filter(course=course, date__lte=today - timedelta(days=steps[0]))
            .order_by("date", "start_time")
            .select_related("module")
            .first()
        )
        if first is None or FeeExemption.objects.filter(learner=enrolment.learner).exists():
            continue
        claim = claim_open(course=course, module=first.module)
        claim = type(claim).objects.select_related("course", "module").get(pk=claim.pk)
        row = next((r for r in contributions_due([claim]) if r.enrolment_id == enrolment.pk), None)
        if row is None or row.exempt or row.due <= FIRST_PAYMENT:
            continue
        if row.due_on > today - timedelta(days=steps[0]):
            continue
        if not ContributionPayment.objects.filter(claim=claim, enrolment=enrolment).exists():
            payment_record(
                claim=claim,
                enrolment=enrolment,
                amount=FIRST_PAYMENT,
                paid_on=row.due_on,
                method=ContributionPayment.Method.CASH,
                reference="Demo",
                by=staff_of.get(course.provider_id),
            )
            row = next(r for r in contributions_due([claim]) if r.enrolment_id == enrolment.pk)
        if not row.reminders:
            reminder_send(row, 1)
        if getattr(ctx, "stdout", None):
            ctx.stdout.write(
                f"    billing: {enrolment.learner.full_name} paid {FIRST_PAYMENT} € and was reminded"
            )
        return
