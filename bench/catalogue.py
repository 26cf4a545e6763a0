"""Catalogue benchmark: the floor (/healthz) against the catalogue API listing 40 courses.

``python -m bench catalogue [--seconds 5] [--concurrency 8] [--postgres]``. Target: the
catalogue serves at least 0.40 of the floor's requests per second. The listing is
micro-cached for a few seconds (``CATALOGUE_CACHE_SECONDS``); the two "uncached" lines use a
unique query string per request to show the cost of building the page from the database.
"""

from __future__ import annotations

import datetime as dt

from bench import common

PORT = 8100
COURSES = 40
CATALOGUE = f"/api/v1/courses/?page_size={COURSES}"
TARGET = 0.40


def seed() -> None:
    """40 published courses at 5 providers / 13 locations, some with enrolled learners.

    Runs inside Django (``App.prepare``); courses go through ``course_create`` so their
    sessions and derived fields exist like in real life.
    """
    from itertools import cycle

    from django.utils import timezone

    from courses.models import Course, CourseType
    from courses.services import course_create
    from enrolment.models import Enrolment
    from people.models import Learner, Location, Organisation

    providers = [
        Organisation.objects.create(name=name, kind=Organisation.Kind.PROVIDER)
        for name in (
            "Diakonie Pinneberg",
            "Diakonie Elmshorn",
            "Caritas Pinneberg",
            "Verein der Neuzugewanderten",
            "VHS Wedel",
        )
    ]
    towns = cycle(["Pinneberg", "Elmshorn", "Wedel", "Uetersen", "Quickborn", "Tornesch"])
    locations = [
        Location.objects.create(
            organisation=providers[i % 5],
            name=f"Standort {i + 1}",
            street=f"Bahnhofstraße {i + 1}",
            postcode="25421",
            town=next(towns),
            state="SH",
        )
        for i in range(13)
    ]
    types = list(CourseType.objects.current().order_by("code"))
    slots = {
        "morning": (dt.time(8, 30), dt.time(12, 45), 5),
        "afternoon": (dt.time(13, 30), dt.time(16, 30), 4),
        "evening": (dt.time(18, 0), dt.time(21, 0), 4),
    }
    start = timezone.localdate() + dt.timedelta(days=7)
    courses = []
    for i in range(COURSES):
        location = locations[i % 13]
        begin, end, ue = list(slots.values())[i % 3]
        ctype = types[i % len(types)]
        courses.append(
            course_create(
                provider=location.organisation,
                location=location,
                course_type=ctype,
                start_date=start + dt.timedelta(days=7 * (i % 10)),
                slots=[
                    {"weekday": d, "start_time": begin, "end_time": end, "ue": ue} for d in range(5)
                ],
                status=Course.Status.OPEN,
                childcare=i % 4 == 0,
            )
        )
    # Enrolled learners so that the seats-left figures count real rows (bench data only).
    for n, course in enumerate(courses):
        learners = Learner.objects.bulk_create(
            Learner(
                provider_id=course.provider_id,
                first_name=f"L{n}-{k}",
                last_name="Bench",
                date_of_birth=dt.date(1990, 1, 1),
            )
            for k in range(n % 12)
        )
        Enrolment.objects.bulk_create(
            Enrolment(
                learner=learner,
                course=course,
                module_id=course.first_module_id,
                status=Enrolment.Status.ENROLLED,
            )
            for learner in learners
        )
    print(f"seeded {Course.objects.public().count()} public courses")


def main(argv: list[str]) -> int:
    args = common.parser(
        "Floor (/healthz) vs the catalogue API with 40 courses",
        default_port=PORT,
        default_pg_db="lb_catalogue_bench",
    ).parse_args(argv)
    with common.App(args, seed="bench.catalogue:seed") as app:
        status, body = common.request(app.port, CATALOGUE)
        if status != 200 or body.count(b'"seats_left"') != COURSES:
            print(f"catalogue answered {status} with {body.count(b'seats_left')} courses")
            return 1
        floor = app.load("/healthz", name="floor /healthz")
        catalogue = app.load(CATALOGUE, name=f"catalogue ({COURSES} courses)")
        # Every query string unique, so the few-second micro-cache never answers.
        uncached = app.load(lambda i: f"{CATALOGUE}&nocache={i}", name="  same, uncached")
        filtered = app.load(
            lambda i: f"{CATALOGUE}&start_from={dt.date(2000, 1, 1) + dt.timedelta(days=i % 9000)}",
            name="  filtered (start_from), uncached",
        )
    results = [floor, catalogue, uncached, filtered]
    common.report(results, floor=floor, target={catalogue.name: TARGET})
    return common.exit_code(results)
