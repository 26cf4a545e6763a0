"""Demo entries of the network directory for the 13 demo locations of Kreis Pinneberg.

Which location serves which municipality follows the pattern of the cooperation agreement (every
municipality has a migration counselling service responsible for it; Pinneberg town has three);
postcodes are those of the real towns, services, languages and hours are invented. An entry is
filled only while it is empty, so a demo user's edits survive the next seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from people.models import Location, OpeningHours, Service

MON, TUE, WED, THU, FRI = range(5)


@dataclass(frozen=True)
class Entry:
    served: tuple[str, ...]
    services: tuple[str, ...]
    languages: tuple[str, ...]
    course_types: tuple[str, ...] = ()
    lift: bool = False
    toilet: bool = False
    childcare: bool = False
    # weekday, from, until, note
    hours: tuple[tuple[int, str, str, str], ...] = ()
    note: str = ""


S = Service
WEEKDAY_MORNINGS = tuple((day, "09:00", "12:30", "") for day in (MON, TUE, WED, THU, FRI))

ENTRIES: dict[str, Entry] = {
    "Migrationszentrum Pinneberg": Entry(
        ("25421", "25497", "25495"),
        (S.MBE, S.REFUGEE_COUNSELLING, S.TRAUMA, S.PLACEMENT_TEST, S.INTERNSHIPS),
        ("ar", "fa", "en"),
        ("general", "literacy"),
        lift=True,
        toilet=True,
        hours=(*WEEKDAY_MORNINGS[:4], (TUE, "14:00", "17:00", "Offene Sprechstunde")),
        note="Beratung ohne Termin dienstags 14–17 Uhr.",
    ),
    "Lernhaus Wedel": Entry(
        ("22880", "25488", "25491"),
        (S.MBE, S.PLACEMENT_TEST, S.LANGUAGE_CAFE),
        ("ar", "uk", "ru"),
        ("general",),
        lift=True,
        childcare=True,
        hours=(
            (MON, "09:00", "13:00", ""),
            (WED, "13:00", "17:00", ""),
            (THU, "09:00", "13:00", ""),
        ),
    ),
    "Gemeindehaus Quickborn": Entry(
        ("25451", "25474", "25499"),
        (S.MBE, S.INTEGRATION_GUIDES),
        ("fa", "tr"),
        hours=((TUE, "10:00", "12:00", "nach Vereinbarung"), (THU, "15:00", "18:00", "")),
    ),
    "Treffpunkt Halstenbek": Entry(
        ("25469",),
        (S.LANGUAGE_CAFE, S.LANGUAGE_BUDDIES, S.INTEGRATION_GUIDES),
        ("uk", "ru"),
        toilet=True,
        hours=((WED, "15:00", "18:00", "Sprachcafé"),),
    ),
    "Diakonie-Zentrum Elmshorn": Entry(
        ("25335", "25336", "25337", "25358", "25365"),
        (S.MBE, S.JMD, S.REFUGEE_COUNSELLING, S.WORK),
        ("ar", "tr", "pl", "ro"),
        ("general", "intensive"),
        lift=True,
        toilet=True,
        hours=(*WEEKDAY_MORNINGS, (THU, "14:00", "18:00", "")),
    ),
    "Familienzentrum Barmstedt": Entry(
        ("25355", "25373"),
        (S.MBE, S.LANGUAGE_CAFE),
        ("ru",),
        childcare=True,
        hours=((MON, "09:00", "12:00", ""), (WED, "09:00", "12:00", "")),
    ),
    "Kursraum Uetersen": Entry(
        ("25436", "25482", "25489"),
        (S.PLACEMENT_TEST,),
        ("en",),
        ("general", "second_script"),
        hours=((TUE, "08:30", "12:00", "Einstufung nach Termin"),),
    ),
    "Caritas-Haus Pinneberg": Entry(
        ("25421",),
        (S.MBE, S.REFUGEE_COUNSELLING, S.WORK),
        ("ar", "fa", "ps", "ti"),
        lift=True,
        toilet=True,
        hours=(*WEEKDAY_MORNINGS[:3], (THU, "13:00", "17:00", "")),
    ),
    "Bildungsraum Schenefeld": Entry(
        ("22869",),
        (S.MBE, S.LANGUAGE_CAFE),
        ("uk", "ru", "pl"),
        ("general",),
        hours=((MON, "14:00", "17:00", ""), (FRI, "09:00", "12:00", "")),
    ),
    "Geschäftsstelle Pinneberg": Entry(
        ("25421",),
        (S.MBE, S.JMD, S.INTEGRATION_GUIDES, S.LANGUAGE_BUDDIES),
        ("tr", "ku", "ar"),
        hours=((MON, "10:00", "16:00", ""), (THU, "10:00", "16:00", "")),
    ),
    "Begegnungsstätte Rellingen": Entry(
        ("25462",),
        (S.LANGUAGE_CAFE, S.INTEGRATION_GUIDES),
        ("tr",),
        toilet=True,
        hours=((FRI, "15:00", "18:00", "Sprachcafé"),),
    ),
    "VHS-Haus Elmshorn": Entry(
        ("25335", "25336", "25337"),
        (S.PLACEMENT_TEST,),
        ("en", "uk"),
        ("general", "intensive", "bsk_b2", "job_bsk"),
        lift=True,
        toilet=True,
        childcare=True,
        hours=(
            (MON, "09:00", "12:00", ""),
            (TUE, "09:00", "12:00", ""),
            (THU, "14:00", "18:00", ""),
        ),
        note="Einstufungstests jeden ersten Montag im Monat.",
    ),
    "VHS-Außenstelle Tornesch": Entry(
        ("25436",),
        (S.PLACEMENT_TEST, S.LANGUAGE_CAFE),
        ("en",),
        ("general",),
        hours=((WED, "16:00", "19:00", ""),),
    ),
}


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def seed_directory(locations: list[Location]) -> int:
    """Fill the empty directory entries of these locations; the number filled."""
    filled = 0
    for location in locations:
        entry = ENTRIES.get(location.name)
        if entry is None or location.services or location.languages:
            continue
        location.served_postcodes = list(entry.served)
        location.services = [str(s) for s in entry.services]
        location.languages = list(entry.languages)
        location.course_types = list(entry.course_types)
        location.lift = entry.lift
        location.accessible_toilet = entry.toilet
        location.childcare = entry.childcare
        location.directory_note = entry.note
        location.save()
        if not location.opening_hours.exists():
            OpeningHours.objects.bulk_create(
                OpeningHours(
                    location=location,
                    weekday=day,
                    opens=_time(start),
                    closes=_time(end),
                    note=note,
                )
                for day, start, end, note in entry.hours
            )
        filled += 1
    return filled
