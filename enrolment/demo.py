"""Demo enrolments, waiting lists, wishes and a placement test per provider (idempotent).

Every write goes through the services, which return an existing enrolment for a repeated
request, so running the seed twice adds nothing.
"""

from __future__ import annotations

import datetime as dt

from enrolment import services
from enrolment.models import PlacementSlot, WaitlistWish

WAITING = 5
WISHES = 4
KEEP_FREE = 20  # learners left without a course: the start watch has something to show


def seed(ctx) -> None:
    by_provider: dict[int, list] = {}
    for learner in ctx.learners:
        by_provider.setdefault(learner.provider_id, []).append(learner)
    enrolled = waiting = wishes = 0
    for provider in ctx.providers:
        staff = ctx.staff.get(provider.pk)
        learners = by_provider.get(provider.pk, [])
        courses = [c for c in ctx.courses if c.provider_id == provider.pk]
        index = 0
        limit = max(len(learners) - KEEP_FREE - WAITING - WISHES, 0)
        open_courses = []
        for course in courses:
            if course.status not in ("open", "running", "planned"):
                continue
            open_courses.append(course)
            take = course.capacity - (3 if course.status != "running" else 1)
            for learner in learners[index : min(index + take, limit)]:
                services.enrolment_create(
                    course=course,
                    learner=learner,
                    by=staff,
                    entry_date=max(course.start_date, ctx.today)
                    if course.status != "running"
                    else course.start_date,
                    confirm_late_entry=True,
                )
                enrolled += 1
            index = min(index + take, limit)
        full = next((c for c in open_courses if c.status == "running"), None)
        for learner in learners[limit : limit + WAITING]:
            if full is not None:
                services.waitlist_join(course=full, learner=learner, by=staff)
                waiting += 1
        for learner in learners[limit + WAITING : limit + WAITING + WISHES]:
            if not WaitlistWish.objects.filter(learner=learner).exists() and open_courses:
                services.wish_create(
                    learner=learner,
                    course_type=open_courses[0].course_type,
                    times_of_day=["evening"],
                    by=staff,
                )
                wishes += 1
        locations = ctx.locations.get(provider) or []
        if locations:
            day = ctx.today + dt.timedelta(days=7)
            slot = PlacementSlot.objects.filter(
                provider=provider, date=day, start_time=dt.time(9, 0)
            ).first() or services.placement_slot_create(
                provider=provider,
                location=locations[0],
                date=day,
                start_time=dt.time(9, 0),
                capacity=8,
                tester=(ctx.teachers.get(provider.pk) or [None])[0],
            )
            for learner in learners[-3:]:
                services.placement_book(slot=slot, learner=learner, by=staff)
    if getattr(ctx, "stdout", None):
        ctx.stdout.write(
            f"    enrolment: {enrolled} enrolment, {waiting} waiting-list and {wishes} wish requests (repeats add nothing)"
        )
