"""Tandem suggestions for a volunteer: the provider's current learners without a buddy, scored by
``volunteers.rules.score`` (waiting list, shared language, level, common times, distance) and
shown with every reason. A fixed number of queries, whatever the number of learners."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from enrolment.models import Enrolment, PlacementBooking, WaitlistWish
from people.models import Learner
from volunteers.languages import language_code_for
from volunteers.models import Tandem, Volunteer
from volunteers.rules import LearnerFacts, Suggestion, VolunteerFacts, rank, times_of_day

OPEN_TANDEM = (Tandem.Status.PROPOSED, Tandem.Status.ACTIVE)


def volunteer_facts(volunteer: Volunteer) -> VolunteerFacts:
    return VolunteerFacts(
        languages={lang.language: lang.level for lang in volunteer.languages.all()},
        times_of_day=times_of_day((w.start_time, w.end_time) for w in volunteer.availability.all()),
        postcode=volunteer.postcode,
        location_ids=frozenset(volunteer.reachable_locations.values_list("pk", flat=True)),
    )


def with_level_facts(qs: QuerySet[Learner]) -> QuerySet[Learner]:
    """Learners with what their level, waiting and course places are read from."""
    return qs.prefetch_related(
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.filter(status__in=Enrolment.ACTIVE_STATUSES)
            .select_related("module", "course__location")
            .order_by("created_at", "pk"),
            to_attr="open_enrolments",
        ),
        Prefetch(
            "wishes",
            queryset=WaitlistWish.objects.filter(status=WaitlistWish.Status.ACTIVE)
            .prefetch_related("locations")
            .order_by("created_at", "pk"),
            to_attr="active_wishes",
        ),
        Prefetch(
            "placement_bookings",
            queryset=PlacementBooking.objects.filter(result__isnull=False)
            .select_related("result")
            .order_by("-result__recorded_at", "-pk"),
            to_attr="tested",
        ),
    )


def learner_level(learner: Learner) -> str:
    """The learner's German level: the latest placement test, else the module they are enrolled
    in (its target level), else "" (not known). Reads the prefetch of ``with_level_facts``."""
    for booking in getattr(learner, "tested", []):
        return booking.result.level_reached
    for enrolment in getattr(learner, "open_enrolments", []):
        if enrolment.status == Enrolment.Status.ENROLLED and enrolment.module.target_level:
            return enrolment.module.target_level
    return ""


def learner_languages(learner: Learner) -> tuple[str | None, frozenset[str]]:
    """The learner's first language (as a code, when it can be read) and every language they
    are known to speak (first and preferred language; German left out)."""
    first = language_code_for(learner.native_language)
    codes = {c for c in (first, learner.preferred_language) if c and c != "de"}
    return first, frozenset(codes)


def _prefetched(learner: Learner, to_attr: str) -> list[Any]:
    """A list that ``with_level_facts`` put on the learner (``to_attr`` names are not fields,
    so the model's type does not know them)."""
    return getattr(learner, to_attr)


def learner_facts(learner: Learner) -> LearnerFacts:
    first, languages = learner_languages(learner)
    open_enrolments: list[Enrolment] = _prefetched(learner, "open_enrolments")
    active_wishes: list[WaitlistWish] = _prefetched(learner, "active_wishes")
    waiting = [
        e.created_at.date() for e in open_enrolments if e.status == Enrolment.Status.WAITLISTED
    ] + [w.created_at.date() for w in active_wishes]
    places = {e.course.location_id: e.course.location.name for e in open_enrolments}
    for wish in active_wishes:
        places.update({loc.pk: loc.name for loc in wish.locations.all()})
    return LearnerFacts(
        learner_id=learner.pk,
        first_language=first,
        languages=languages,
        level=learner_level(learner),
        times_of_day=frozenset(learner.available_times or []),
        postcode=learner.postcode,
        waiting_since=min(waiting) if waiting else None,
        course_places=places,
    )


def tandem_candidates(volunteer: Volunteer) -> QuerySet[Learner]:
    """The provider's current learners (an open enrolment or an active waiting-list wish)
    without an open tandem; never the volunteer themselves."""
    current = Learner.objects.filter(
        Q(enrolments__status__in=Enrolment.ACTIVE_STATUSES)
        | Q(wishes__status=WaitlistWish.Status.ACTIVE)
    ).values("pk")
    open_tandem = Tandem.objects.filter(learner=OuterRef("pk"), status__in=OPEN_TANDEM)
    qs = (
        Learner.objects.filter(provider_id=volunteer.provider_id, pk__in=current)
        .exclude(Exists(open_tandem))
        .order_by("pk")
    )
    if volunteer.user_id:
        qs = qs.exclude(user_id=volunteer.user_id)
    return with_level_facts(qs)


@dataclass(frozen=True)
class SuggestionRow:
    learner: Learner
    facts: LearnerFacts
    suggestion: Suggestion

    @property
    def score(self) -> int:
        return self.suggestion.score

    @property
    def reasons(self):
        return self.suggestion.reasons


def tandem_suggestions(volunteer: Volunteer, *, limit: int = 20) -> list[SuggestionRow]:
    """The best ``limit`` learners for the volunteer, best first, ties by learner id."""
    facts_of_volunteer = volunteer_facts(volunteer)
    learners = {learner.pk: learner for learner in tandem_candidates(volunteer)}
    facts = {pk: learner_facts(learner) for pk, learner in learners.items()}
    ranked = rank(facts_of_volunteer, facts.values())[:limit]
    return [SuggestionRow(learners[s.learner_id], facts[s.learner_id], s) for s in ranked]
