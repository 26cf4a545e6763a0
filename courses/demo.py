"""Demo courses for the Kreis Pinneberg network: about 40 courses of every type and time of day,
created through ``courses.services.course_create`` (so their sessions are planned), keyed by
BAMF course number per provider, so running the seed again adds nothing."""

from __future__ import annotations

from datetime import time, timedelta

from courses.models import Course, CourseType
from courses.services import course_create


def _slots(days, start, end, ue):
    return [{"weekday": d, "start_time": start, "end_time": end, "ue": ue} for d in days]


SLOTS = {
    "morning": _slots(range(5), time(8, 30), time(12, 45), 5),  # 25 UE/week: full time
    "morning_bsk": _slots(range(4), time(9, 0), time(12, 15), 4),
    "afternoon": _slots(range(5), time(13, 30), time(16, 45), 4),
    "evening": _slots((0, 2, 3), time(18, 0), time(21, 15), 4),
    "evening_job": _slots((1, 3), time(17, 30), time(20, 45), 4),  # Job-BSK beside work
}

# type code, slot key, start in weeks from this Monday (negative: already running), status.
COURSE_PLAN = (
    ("general", "morning", -9, Course.Status.RUNNING),
    ("literacy", "morning", -14, Course.Status.RUNNING),
    ("general", "afternoon", 3, Course.Status.OPEN),
    ("bsk_b2", "evening", -5, Course.Status.RUNNING),
    ("job_bsk", "evening_job", 2, Course.Status.OPEN),
    ("intensive", "morning", 5, Course.Status.OPEN),
    ("bsk_c1", "morning_bsk", 9, Course.Status.PLANNED),
    ("general", "evening", 8, Course.Status.PLANNED),
)
# Per provider: which plan rows it runs (the VHS leans to BSK, the association to literacy).
PROVIDER_COURSES = {
    "diakonie": (0, 1, 2, 3, 4, 5, 6, 7, 0),
    "rantzau": (0, 1, 2, 3, 4, 5, 7),
    "caritas": (0, 1, 2, 4, 5, 7, 2, 4),
    "einwandererbund": (0, 1, 2, 1, 4, 7, 3),
    "vhs": (0, 2, 3, 4, 5, 6, 3, 6, 4),
}


def _seed_courses(provider, spec, locations, teachers, today) -> list[Course]:
    monday = today - timedelta(days=today.weekday())
    types = {t.code: t for t in CourseType.objects.current().prefetch_related("modules")}
    existing = {
        c.bamf_course_number: c
        for c in Course.objects.filter(provider=provider).select_related("location")
    }
    courses = []
    for n, plan_index in enumerate(PROVIDER_COURSES[spec.key]):
        type_code, slot_key, weeks, status = COURSE_PLAN[plan_index]
        number = f"{spec.bamf_number}/{today:%y}-{n + 1:02d}"
        if number in existing:
            courses.append(existing[number])
            continue
        course_type = types[type_code]
        capacity = 12 if type_code == "job_bsk" else None
        course = course_create(
            provider=provider,
            location=locations[n % len(locations)],
            course_type=course_type,
            start_date=monday + timedelta(weeks=weeks + n % 2),
            slots=SLOTS[slot_key],
            capacity=capacity,
            teachers=[teachers[n % len(teachers)]],
            status=status,
            bamf_course_number=number,
            childcare=type_code in {"general", "literacy"} and n % 3 == 0,
            format=Course.Format.HYBRID if type_code == "job_bsk" else Course.Format.IN_PERSON,
            description=f"{course_type.name} in {locations[n % len(locations)].town}.",
        )
        courses.append(course)
    return courses


def seed(ctx) -> None:
    ctx.courses = []
    for provider in ctx.providers:
        ctx.courses.extend(
            _seed_courses(
                provider,
                ctx.specs[provider.pk],
                ctx.locations[provider],
                ctx.teachers[provider.pk],
                ctx.today,
            )
        )
    sessions = sum(course.sessions.count() for course in ctx.courses)
    ctx.stdout.write(f"  courses: {len(ctx.courses)} courses, {sessions} course days")
