"""Pure rules: how a tandem suggestion is scored and explained, times, postcodes, months, limits."""

import datetime as dt
from decimal import Decimal

from django.utils import translation

from volunteers.rules import (
    AllowanceStanding,
    LearnerFacts,
    VolunteerFacts,
    add_months,
    postcode_proximity,
    rank,
    score,
    times_of_day,
)

VOLUNTEER = VolunteerFacts(
    languages={"de": "native", "ar": "B2", "ru": "A2"},
    times_of_day=frozenset({"afternoon", "evening"}),
    postcode="25421",
    location_ids=frozenset({7}),
)


def learner(pk, **kw):
    values = {
        "learner_id": pk,
        "first_language": None,
        "languages": frozenset(),
        "level": "",
        "times_of_day": frozenset(),
        "postcode": "",
        "waiting_since": None,
        "course_places": {},
    }
    values.update(kw)
    return LearnerFacts(**values)


def test_every_point_has_its_reason_and_the_score_is_their_sum():
    facts = learner(
        5,
        first_language="ar",
        languages=frozenset({"ar", "en"}),
        level="A1.2",
        times_of_day=frozenset({"afternoon", "morning"}),
        postcode="25421",
        waiting_since=dt.date(2026, 9, 1),
        course_places={7: "Migrationszentrum", 8: "Wedel"},
    )
    with translation.override("en"):
        s = score(VOLUNTEER, facts)
    assert [r.code for r in s.reasons] == [
        "waiting_list",
        "shared_language",
        "level_fit",
        "common_time",
        "same_postcode",
        "course_place",
    ]
    assert [r.points for r in s.reasons] == [100, 30, 10, 10, 20, 8]
    assert s.score == 178
    texts = [r.text for r in s.reasons]
    assert texts[0] == "On a waiting list since 09/01/2026"
    assert texts[1] == "Speaks Arabic (B2), the learner's language"
    assert texts[2] == "At A1.2 a shared language helps most"
    assert texts[3] == "Both have time: Afternoon"
    assert texts[4] == "Same postcode (25421)"
    assert texts[5] == "Can get to Migrationszentrum, where the learner's course is"


def test_reasons_are_in_the_readers_language():
    facts = learner(1, first_language="ar", languages=frozenset({"ar"}))
    with translation.override("de"):
        text = score(VOLUNTEER, facts).reasons[0].text
    assert text == "Spricht Arabisch (B2), die Sprache der lernenden Person"


def test_a_little_shared_language_counts_less_and_german_is_not_shared():
    facts = learner(1, first_language="ru", languages=frozenset({"ru", "de"}))
    s = score(VOLUNTEER, facts)
    assert [(r.code, r.points) for r in s.reasons] == [("some_shared_language", 10)]


def test_level_without_shared_language_only_helps_from_a2():
    beginner = score(VOLUNTEER, learner(1, level="A1"))
    advanced = score(VOLUNTEER, learner(2, level="B1.1"))
    assert beginner.reasons == ()
    assert [(r.code, r.points) for r in advanced.reasons] == [("level_fit", 10)]


def test_postcode_areas():
    assert postcode_proximity("25421", "25421").points == 20
    assert postcode_proximity("25421", "25469").points == 12
    assert postcode_proximity("25421", "25335").points == 5
    assert postcode_proximity("25421", "22880") is None
    assert postcode_proximity("", "25421") is None
    assert postcode_proximity("2542", "25421") is None


def test_waiting_learners_come_first_and_ties_go_by_id():
    strong = learner(
        1,
        first_language="ar",
        languages=frozenset({"ar"}),
        postcode="25421",
        times_of_day=frozenset({"afternoon", "evening"}),
        level="B1",
        course_places={7: "x"},
    )
    waiting = learner(9, waiting_since=dt.date(2026, 1, 1))
    tie_a, tie_b = learner(4, postcode="25421"), learner(3, postcode="25421")
    nobody = learner(2)
    ranked = rank(VOLUNTEER, [strong, tie_a, nobody, waiting, tie_b])
    assert [s.learner_id for s in ranked] == [9, 1, 3, 4, 2]
    assert strong and score(VOLUNTEER, strong).score < 100  # the waiting list always wins
    assert [
        s.learner_id for s in rank(VOLUNTEER, reversed([strong, tie_a, nobody, waiting, tie_b]))
    ] == [9, 1, 3, 4, 2]


def test_times_of_day_from_windows():
    assert times_of_day([(dt.time(11), dt.time(13))]) == {"morning", "afternoon"}
    assert times_of_day([(dt.time(17), dt.time(19))]) == {"evening"}
    assert times_of_day([(dt.time(12), dt.time(17))]) == {"afternoon"}
    assert times_of_day([]) == frozenset()


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2026, 5, 15), 60) == dt.date(2031, 5, 15)
    assert add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)


def test_allowance_standing():
    s = AllowanceStanding(Decimal("960"), Decimal("800"), Decimal("200"))
    assert s.total_after == Decimal("1000") and s.exceeds
    assert s.over_by == Decimal("40") and s.remaining_before == Decimal("160")
    exactly = AllowanceStanding(Decimal("960"), Decimal("760"), Decimal("200"))
    assert not exactly.exceeds and exactly.over_by == 0
