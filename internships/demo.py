"""Demo employers, internship wishes and placements per provider (idempotent)."""

from __future__ import annotations

import datetime as dt

from internships import services
from internships.models import Employer, InternshipWish, Placement

EMPLOYERS = [
    # name, sector, town, min level, places
    ("Pflegeheim Sonnenhof", "Pflege", "Pinneberg", "A2", 2),
    ("Spedition Nordlicht", "Logistik", "Elmshorn", "A2", 3),
    ("Hotel am Rosengarten", "Gastronomie", "Uetersen", "A2.2", 2),
    ("Kita Regenbogen", "Erziehung", "Wedel", "B1", 1),
]
WISHES = [("Pflege", "B1"), ("Logistik", "A2.2"), ("Gastronomie", "A2.2"), ("Erziehung", "A2")]


def seed(ctx) -> None:
    today = ctx.today
    made = 0
    for provider in ctx.providers:
        staff = ctx.staff.get(provider.pk)
        employers = []
        for name, sector, town, level, places in EMPLOYERS:
            employer = Employer.objects.filter(provider=provider, name=name).first()
            if employer is None:
                employer = services.employer_save(
                    provider=provider,
                    by=staff,
                    name=name,
                    sector=sector,
                    town=town,
                    min_level=level,
                    places_offered=places,
                    contact_name="Frau Petersen",
                )
            employers.append(employer)
        learners = [lr for lr in ctx.learners if lr.provider_id == provider.pk][-8:]
        for learner, (sector, level) in zip(learners[:4], WISHES, strict=False):
            if not InternshipWish.objects.filter(learner=learner).exists():
                services.internship_wish_save(
                    learner=learner,
                    sector=sector,
                    by=staff,
                    language_level=level,
                    town=learner.town or "Pinneberg",
                )
        # one running afternoon internship and one proposal per provider
        monday = today - dt.timedelta(days=today.weekday())
        for learner, employer, status in (
            (learners[4], employers[1], "running"),
            (learners[5], employers[0], "proposed"),
        ):
            if Placement.objects.filter(learner=learner, employer=employer).exists():
                continue
            placement = services.placement_create(
                learner=learner,
                employer=employer,
                by=staff,
                type=Placement.Type.ORIENTATION,
                start_date=monday - dt.timedelta(days=7)
                if status == "running"
                else monday + dt.timedelta(days=14),
                end_date=monday + dt.timedelta(days=25),
                weekdays=[0, 1, 2, 3],
                daily_hours=4,
                daily_start=dt.time(13, 30),
                daily_end=dt.time(17, 30),
                supervisor_name="Herr Lange",
                supervisor_email="lange@example.org",
                learning_goals="Arbeitsabläufe kennenlernen, Fachwortschatz anwenden",
                tasks="Wareneingang prüfen, Etiketten drucken",
            )
            made += 1
            if status == "running":
                try:
                    services.placement_agree(placement=placement, by=staff)
                    services.placement_start(placement=placement, by=staff)
                except Exception:  # a clash in the demo timetable leaves it proposed
                    pass
    ctx.stdout.write(f"    internships: {made} placements")
