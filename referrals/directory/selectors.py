"""Reads of the network directory: the listed locations in postcode order, filtered by language
and service, with the course types and levels they offer.

Postcode rule (no geodata is downloaded or stored): a location declares the postcodes it serves,
whole (``25421``) or by their first digits (``254``). For the person's postcode the directory
lists first the locations that serve it, then those whose own or served postcodes share its
first three digits (German postcodes are handed out by area: the same three leading digits are
one delivery area), then the first two (a postal region, e.g. 25 = Kreis Pinneberg and
Steinburg), then the rest of the network. Within a group: town, then name. Prefix nearness is
a rough guide, not a distance; the declared postcodes are the provider's word and come first.

Language rule: German is spoken everywhere; any other language matches the locations that list
its ISO 639-1 code. The directory is the network's handful of places (Kreis Pinneberg: 13), so
the filtering happens in Python over one query's rows; the query count does not grow with them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from enum import IntEnum

from django.conf.locale import LANG_INFO
from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language

from core.languages import ISO_639_1, language_name
from courses.models import Course, CourseType, Level, Programme
from people.models import Location, OpeningHours, Organisation, Service

#: Names of languages in their own script that Django's table lacks (learners' languages).
EXTRA_ENDONYMS = {
    "ti": "ትግርኛ",
    "am": "አማርኛ",
    "ps": "پښتو",
    "ku": "Kurdî",
    "so": "Soomaali",
    "ha": "Hausa",
    "yo": "Yorùbá",
    "ig": "Igbo",
    "ff": "Fulfulde",
}
#: The most results a page lists: the whole network of a county fits many times over.
RESULT_LIMIT = 100


class Nearness(IntEnum):
    """How a location stands to the person's postcode; lower is listed first."""

    SERVES = 0
    AREA = 1  # same first three digits
    REGION = 2  # same first two digits
    NETWORK = 3


@dataclass(frozen=True, slots=True)
class LanguageLabel:
    code: str
    name: str  # in the language itself where known, so a reader finds their own


@dataclass(frozen=True, slots=True)
class OfferedCourseType:
    course_type: CourseType
    levels: str  # "A1 → B1"
    current_courses: int


@dataclass(slots=True)
class DirectoryEntry:
    location: Location
    nearness: Nearness
    languages: list[LanguageLabel]
    services: list[str]
    course_types: list[OfferedCourseType] = field(default_factory=list)

    @property
    def provider(self) -> Organisation:
        return self.location.organisation

    @property
    def phone(self) -> str:
        return self.location.phone or self.location.organisation.phone

    @property
    def current_courses(self) -> int:
        return sum(o.current_courses for o in self.course_types)


def language_label(code: str) -> LanguageLabel:
    """The language's own name (العربيّة, Українська); its German or English name where neither
    Django nor our short list knows it."""
    name = LANG_INFO.get(code, {}).get("name_local") or EXTRA_ENDONYMS.get(code)
    if not name:
        page = (get_language() or "de").split("-")[0]
        name = language_name(code, language="de" if page == "de" else "en")
    return LanguageLabel(code, name)


def normalised_postcode(text: str) -> str:
    """Digits of a typed postcode (``D-25421``, ``25 421``); '' when it is not 2 to 5 digits."""
    digits = "".join(ch for ch in (text or "") if ch.isdigit())
    return digits if 2 <= len(digits) <= 5 else ""


def nearness(*, postcode: str, own: str, served: list[str]) -> Nearness:
    """Where a location with postcode ``own`` serving ``served`` stands to ``postcode``."""
    if not postcode:
        return Nearness.NETWORK
    if any(postcode.startswith(prefix) for prefix in served) or (own and own == postcode):
        return Nearness.SERVES
    known = [p for p in (own, *served) if p]
    for digits, rank in ((3, Nearness.AREA), (2, Nearness.REGION)):
        if len(postcode) >= digits and any(
            len(p) >= digits and p[:digits] == postcode[:digits] for p in known
        ):
            return rank
    return Nearness.NETWORK


def listed_locations(provider_ids: list[int] | None = None) -> QuerySet[Location]:
    """Locations in the directory (of providers, and of these providers when given)."""
    qs = Location.objects.filter(
        in_directory=True, organisation__kind=Organisation.Kind.PROVIDER
    ).select_related("organisation")
    if provider_ids is not None:
        qs = qs.filter(organisation_id__in=provider_ids)
    return qs.prefetch_related(
        Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens"))
    )


def _level_span(course_type: CourseType, first_level: str = "") -> str:
    start = first_level or course_type.entry_level
    if start and start != course_type.target_level:
        return f"{start} → {course_type.target_level}"
    return course_type.target_level


@dataclass(slots=True)
class _Tally:
    course_type: CourseType
    first_level: str = ""  # the lowest level a current course there starts at
    courses: int = 0


def _offered(locations: list[Location]) -> dict[int, list[OfferedCourseType]]:
    """Per location: the course types of its current public courses and the course types it
    declares, in two queries."""
    ids = [loc.pk for loc in locations]
    courses = (
        Course.objects.public()
        .language_courses()
        .filter(location_id__in=ids)
        .select_related("course_type", "first_module")
        .order_by("pk")
    )
    found: dict[int, dict[str, _Tally]] = defaultdict(dict)
    for course in courses:
        tally = found[course.location_id].setdefault(
            course.course_type.code, _Tally(course.course_type)
        )
        start = course.first_module.target_level
        if start and (not tally.first_level or Level.rank(start) < Level.rank(tally.first_level)):
            tally.first_level = start
        tally.courses += 1
    codes = {code for loc in locations for code in loc.course_types}
    declared = {
        ct.code: ct
        for ct in CourseType.objects.current().filter(
            code__in=codes, programme__kind=Programme.Kind.COURSES
        )
    }
    result: dict[int, list[OfferedCourseType]] = {}
    for loc in locations:
        tallies = found.get(loc.pk, {})
        for code in loc.course_types:
            if code in declared and code not in tallies:
                tallies[code] = _Tally(declared[code])
        result[loc.pk] = [
            OfferedCourseType(t.course_type, _level_span(t.course_type, t.first_level), t.courses)
            for t in sorted(tallies.values(), key=lambda t: t.course_type.name)
        ]
    return result


@dataclass(frozen=True, slots=True)
class DirectoryResult:
    entries: list[DirectoryEntry]
    total: int  # matching before the limit
    languages: list[LanguageLabel]  # every language spoken somewhere in the directory


def directory(
    *,
    postcode: str = "",
    language: str = "",
    service: str = "",
    provider_ids: list[int] | None = None,
) -> DirectoryResult:
    """The directory for a person's postcode and language, nearest first (module docstring)."""
    locations = list(listed_locations(provider_ids))
    spoken = sorted(
        {code for loc in locations for code in loc.languages if code in ISO_639_1 and code != "de"}
    )
    matching = [
        loc
        for loc in locations
        if (not language or language == "de" or language in loc.languages)
        and (not service or service in loc.services)
    ]
    ranked = sorted(
        (
            (nearness(postcode=postcode, own=loc.postcode, served=loc.served_postcodes), loc)
            for loc in matching
        ),
        key=lambda pair: (pair[0], pair[1].town, pair[1].name, pair[1].pk),
    )[:RESULT_LIMIT]
    offered = _offered([loc for _rank, loc in ranked])
    labels = dict(Service.choices)
    entries = [
        DirectoryEntry(
            location=loc,
            nearness=rank,
            languages=[language_label("de")]
            + [language_label(c) for c in loc.languages if c != "de"],
            services=[str(labels[s]) for s in Service.values if s in loc.services],
            course_types=offered[loc.pk],
        )
        for rank, loc in ranked
    ]
    return DirectoryResult(
        entries=entries,
        total=len(matching),
        languages=sorted((language_label(c) for c in spoken), key=lambda lang: lang.name),
    )
