"""Pure rules of volunteer work, without the database: how a tandem suggestion is scored and
explained, how availability meets a learner's times of day, how near two postcodes are, and
how a payment stands against the year's allowance limit. Easy to test on their own."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.models import Level
from people.models import TimeOfDay
from volunteers.languages import LanguageLevel, language_label

# --- tandem suggestions ------------------------------------------------------------------------

#: Points of each reason. Waiting-list learners come first whatever else (they wait for a
#: course and a buddy helps most then); the rest orders learners within and after them.
WAITING_LIST = 100
SHARED_LANGUAGE = 30
SOME_SHARED_LANGUAGE = 10
LEVEL_FIT = 10
PER_COMMON_TIME = 10
SAME_POSTCODE = 20
SAME_POSTCODE_AREA = 12  # first three digits: the same town or the next one
SAME_POSTCODE_REGION = 5  # first two digits: the same county, more or less
REACHABLE_COURSE_PLACE = 8

#: Times of day as the learner record knows them, as clock windows [start, end).
TIME_WINDOWS = {
    TimeOfDay.MORNING: (time(6, 0), time(12, 0)),
    TimeOfDay.AFTERNOON: (time(12, 0), time(17, 0)),
    TimeOfDay.EVENING: (time(17, 0), time(22, 0)),
}
GOOD_LEVELS = frozenset(
    {LanguageLevel.B1, LanguageLevel.B2, LanguageLevel.C1, LanguageLevel.C2, LanguageLevel.NATIVE}
)


@dataclass(frozen=True)
class Reason:
    code: str
    points: int
    text: str

    def as_dict(self) -> dict:
        return {"code": self.code, "points": self.points, "text": self.text}


@dataclass(frozen=True)
class VolunteerFacts:
    languages: dict[str, str]  # code → LanguageLevel
    times_of_day: frozenset[str]
    postcode: str
    location_ids: frozenset[int]


@dataclass(frozen=True)
class LearnerFacts:
    learner_id: int
    first_language: str | None  # code
    languages: frozenset[str]  # codes the learner speaks (first and preferred language)
    level: str  # courses.Level value, "" when not known
    times_of_day: frozenset[str]
    postcode: str
    waiting_since: date | None
    course_places: dict[int, str] = field(default_factory=dict)  # location id → name


@dataclass(frozen=True)
class Suggestion:
    learner_id: int
    score: int
    reasons: tuple[Reason, ...]


def times_of_day(windows: Iterable[tuple[time, time]]) -> frozenset[str]:
    """The times of day (morning, afternoon, evening) that any of the windows overlaps."""
    found = set()
    for start, end in windows:
        for name, (w_start, w_end) in TIME_WINDOWS.items():
            if start < w_end and end > w_start:
                found.add(str(name))
    return frozenset(found)


def postcode_proximity(a: str, b: str) -> Reason | None:
    a, b = (a or "").strip(), (b or "").strip()
    if len(a) != 5 or len(b) != 5 or not (a.isdigit() and b.isdigit()):
        return None
    if a == b:
        return Reason("same_postcode", SAME_POSTCODE, _("Same postcode (%(p)s)") % {"p": a})
    if a[:3] == b[:3]:
        return Reason(
            "postcode_area",
            SAME_POSTCODE_AREA,
            _("Live close to each other (postcodes %(a)s and %(b)s)") % {"a": a, "b": b},
        )
    if a[:2] == b[:2]:
        return Reason(
            "postcode_region",
            SAME_POSTCODE_REGION,
            _("Same region (postcodes %(a)s and %(b)s)") % {"a": a, "b": b},
        )
    return None


def _time_names(names: Iterable[str]) -> str:
    order = list(TIME_WINDOWS)
    return ", ".join(str(TimeOfDay(n).label) for n in sorted(names, key=order.index))


def score(volunteer: VolunteerFacts, learner: LearnerFacts) -> Suggestion:
    """How well the learner suits the volunteer as a language buddy, with every reason shown."""
    reasons: list[Reason] = []
    if learner.waiting_since is not None:
        reasons.append(
            Reason(
                "waiting_list",
                WAITING_LIST,
                _("On a waiting list since %(d)s")
                % {"d": date_format(learner.waiting_since, "SHORT_DATE_FORMAT")},
            )
        )
    shared = [code for code in volunteer.languages if code in learner.languages and code != "de"]
    # the learner's first language before the others, then by code: the same answer every time
    shared.sort(key=lambda code: (code != learner.first_language, code))
    good = [code for code in shared if volunteer.languages[code] in GOOD_LEVELS]
    if good:
        code = good[0]
        reasons.append(
            Reason(
                "shared_language",
                SHARED_LANGUAGE,
                _("Speaks %(language)s (%(level)s), the learner's language")
                % {
                    "language": language_label(code),
                    "level": LanguageLevel(volunteer.languages[code]).label,
                },
            )
        )
    elif shared:
        reasons.append(
            Reason(
                "some_shared_language",
                SOME_SHARED_LANGUAGE,
                _("Speaks some %(language)s, the learner's language")
                % {"language": language_label(shared[0])},
            )
        )
    if learner.level:
        beginner = Level.rank(learner.level) < Level.rank(Level.A2)
        if beginner and good:
            reasons.append(
                Reason(
                    "level_fit",
                    LEVEL_FIT,
                    _("At %(level)s a shared language helps most") % {"level": learner.level},
                )
            )
        elif not beginner:
            reasons.append(
                Reason(
                    "level_fit",
                    LEVEL_FIT,
                    _("At %(level)s the learner can practise in German") % {"level": learner.level},
                )
            )
    common = volunteer.times_of_day & learner.times_of_day
    if common:
        reasons.append(
            Reason(
                "common_time",
                PER_COMMON_TIME * len(common),
                _("Both have time: %(times)s") % {"times": _time_names(common)},
            )
        )
    near = postcode_proximity(volunteer.postcode, learner.postcode)
    if near is not None:
        reasons.append(near)
    reachable = sorted(
        (name, pk) for pk, name in learner.course_places.items() if pk in volunteer.location_ids
    )
    if reachable:
        reasons.append(
            Reason(
                "course_place",
                REACHABLE_COURSE_PLACE,
                _("Can get to %(place)s, where the learner's course is")
                % {"place": reachable[0][0]},
            )
        )
    return Suggestion(learner.learner_id, sum(r.points for r in reasons), tuple(reasons))


def rank(volunteer: VolunteerFacts, learners: Iterable[LearnerFacts]) -> list[Suggestion]:
    """Suggestions best first; equal scores by learner id, so the order never changes by chance."""
    return sorted(
        (score(volunteer, learner) for learner in learners),
        key=lambda s: (-s.score, s.learner_id),
    )


# --- shifts and hours --------------------------------------------------------------------------


def minutes_between(start: time, end: time) -> int:
    return int((datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds // 60)


def ue_for(start: time, end: time) -> int:
    """Teaching units (45 minutes) a date of an activity spans, at least one."""
    return max(1, round(minutes_between(start, end) / 45))


# --- allowances --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowanceStanding:
    """A payment against the year's limit: what was used before and what it would make."""

    limit: Decimal
    used_before: Decimal  # paid by this provider plus declared by other payers
    amount: Decimal

    @property
    def total_after(self) -> Decimal:
        return self.used_before + self.amount

    @property
    def remaining_before(self) -> Decimal:
        return max(self.limit - self.used_before, Decimal("0.00"))

    @property
    def over_by(self) -> Decimal:
        return max(self.total_after - self.limit, Decimal("0.00"))

    @property
    def exceeds(self) -> bool:
        return self.total_after > self.limit


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has 28 days
