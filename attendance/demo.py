"""Demo attendance: alert rules per provider; in a few running courses every past day entered
(by import, the way a provider moving from paper would) and signed, the latest past day left open
for the teacher; learner cards. Everything goes through the services, so locks, U-fill and
alerts behave as in real life.

Idempotent: rules are found by name, signed days are skipped, cards are only issued when missing.
"""

from __future__ import annotations

import random

from attendance import services
from attendance.models import AlertRule, Code, SessionSignOff
from courses.models import Course, Session
from enrolment.selectors import enrolments_on

COURSES = 3


def seed(ctx) -> None:
    rng = random.Random(4)
    for provider in ctx.providers:
        AlertRule.objects.get_or_create(
            provider=provider,
            name="Anwesenheit unter 70 %",
            defaults={
                "kind": AlertRule.Kind.RATE_BELOW,
                "threshold_percent": 70,
                "min_ue_held": 40,
            },
        )
        AlertRule.objects.get_or_create(
            provider=provider,
            name="3 Tage unentschuldigt",
            defaults={"kind": AlertRule.Kind.CONSECUTIVE_UNEXCUSED, "consecutive_days": 3},
        )
    today = min(ctx.today, services.today())
    running = [c for c in ctx.courses if c.status == Course.Status.RUNNING][:COURSES]
    written = 0
    for course in running:
        staff = ctx.staff.get(course.provider_id)
        teacher = course.teachers.first() or staff
        days = list(
            Session.objects.held()
            .filter(course=course, date__lt=today)
            .order_by("date", "start_time")
        )
        signed = set(
            SessionSignOff.objects.filter(session__in=days).values_list("session_id", flat=True)
        )
        enrolments = list(enrolments_on(course=course, day=today))
        # a few learners attend badly, so the dashboard has alerts to show
        weak = {e.pk for e in enrolments[:2]}
        for session in days[:-1]:
            if session.pk in signed:
                continue
            codes = {}
            for e in enrolments:
                roll = rng.random()
                if e.pk in weak:
                    codes[e.pk] = Code.PRESENT if roll < 0.5 else Code.UNEXCUSED
                else:
                    codes[e.pk] = (
                        Code.PRESENT
                        if roll < 0.9
                        else Code.EXCUSED
                        if roll < 0.97
                        else Code.UNEXCUSED
                    )
            written += services.register_import(session=session, codes=codes, by=staff)
            services.day_sign(session=session, by=teacher)
        services.cards_ensure(learners=[e.learner for e in enrolments], by=staff)
    if getattr(ctx, "stdout", None):
        ctx.stdout.write(f"    attendance: {written} entries in {len(running)} running courses")
