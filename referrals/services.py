"""Every write about referrals: create (consent first), accept, decline, match, close, revoke a
consent, the automatic steps from enrolment and placement bookings, and the daily stall flag.

Every step goes through ``_move``, which asks ``referrals.transitions`` whether it is allowed,
stamps the step's date and clears the stall flag. The automatic steps arrive as signals from the
lower apps (``people.signals.learner_event_recorded``, ``enrolment.signals.placement_booked``),
connected in ``referrals.receivers``; they run inside the enrolment service's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ConflictError, DomainError
from courses.models import Course, CourseType
from people.models import Learner, LearnerEvent, Organisation, Role, User
from people.rules import birth_date_problem
from referrals import selectors
from referrals.models import (
    STALL_STEPS,
    STEP_DATE_FIELDS,
    Consent,
    DataItem,
    DeclineReason,
    Obligation,
    Outcome,
    Purpose,
    Referral,
    Status,
)
from referrals.transitions import Status as Step
from referrals.transitions import TransitionError, can_move, move


class ReferralError(DomainError):
    pass


# --- steps -------------------------------------------------------------------------------------


def _move(referral: Referral, target: str, *, now: datetime | None = None) -> Referral:
    """Move the (locked) referral one step; ``TransitionError`` when the table forbids it."""
    now = now or timezone.now()
    referral.status = move(Step(referral.status), Step(target)).value
    setattr(referral, STEP_DATE_FIELDS[target], now)
    referral.last_moved_at = now
    referral.stalled_at = None
    return referral


def _step(referral: Referral, target: str, *, fields: Iterable[str] = ()) -> Referral:
    """A step asked for by a person: a forbidden one is a 409 with a stable code."""
    try:
        _move(referral, target)
    except TransitionError as exc:
        raise ConflictError(
            _("This step is not possible in the referral's current state."),
            code="transition_not_allowed",
        ) from exc
    referral.save(
        update_fields=[
            "status",
            STEP_DATE_FIELDS[target],
            "last_moved_at",
            "stalled_at",
            *fields,
        ]
    )
    return referral


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update()
        .select_related("sender_organisation", "receiver")
        .get(pk=referral.pk)
    )


# --- create ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentInput:
    items: frozenset[str]
    method: str


def _check_person(*, first_name: str, last_name: str, date_of_birth: date | None) -> None:
    if not first_name.strip() or not last_name.strip():
        raise ReferralError(_("Name the person."), code="name_required", field="last_name")
    if date_of_birth is None:
        raise ReferralError(
            _("The date of birth is required."), code="required", field="date_of_birth"
        )
    problem = birth_date_problem(date_of_birth, today=timezone.localdate())
    if problem:
        raise ReferralError(problem, code="birth_date", field="date_of_birth")


def _check_consent(consent: ConsentInput | None, *, obliged: bool, data: dict) -> None:
    """Consent first: without the person's consent (or an obligation) nothing is handed over,
    and nothing the person did not agree to share is stored."""
    if consent is None:
        if obliged:
            return
        raise ReferralError(
            _("Record the person's consent before the referral is sent."),
            code="consent_required",
            field="consent",
        )
    unknown = set(consent.items) - set(DataItem.values)
    if unknown or consent.method not in Consent.Method.values:
        raise ReferralError(_("Unknown consent."), code="invalid", field="consent")
    if DataItem.IDENTITY not in consent.items and not obliged:
        raise ReferralError(
            _("Without the name and date of birth the receiver cannot take the person on."),
            code="consent_identity_required",
            field="consent",
        )
    if obliged:
        return
    covered = {
        DataItem.CONTACT: ("phone", "email"),
        DataItem.LANGUAGES: ("languages",),
        DataItem.LEVEL: ("level",),
        DataItem.NOTE: ("note",),
    }
    for item, names in covered.items():
        for name in names:
            if data.get(name) and item not in consent.items:
                raise ReferralError(
                    _("The person did not agree to share this."),
                    code="not_consented",
                    field=name,
                )


def _check_purpose(
    *, purpose: str, receiver: Organisation, course: Course | None, course_type_code: str
) -> None:
    if purpose not in Purpose.values:
        raise ReferralError(_("Unknown purpose."), code="invalid", field="purpose")
    if purpose == Purpose.COURSE and (course is None or course.provider_id != receiver.pk):
        raise ReferralError(
            _("Choose a course of the receiving provider."), code="foreign_course", field="course"
        )
    if (
        purpose == Purpose.COURSE_TYPE
        and not CourseType.objects.filter(code=course_type_code).exists()
    ):
        raise ReferralError(
            _("Choose a course type."), code="course_type_required", field="course_type_code"
        )


def _check_sender(*, sender_organisation: Organisation, sender: User | None) -> None:
    if sender is None:
        return
    if sender_organisation.kind == Organisation.Kind.JOBCENTER:
        allowed = sender_organisation.pk in sender.jobcenter_ids()
    else:
        allowed = sender_organisation.pk in sender.provider_ids(role=Role.COUNSELLOR)
    if not allowed:
        raise ReferralError(
            _("You do not refer on behalf of this organisation."),
            code="not_a_sender",
            status=403,
        )


@transaction.atomic
def referral_create(
    *,
    sender_organisation: Organisation,
    sender: User | None,
    receiver: Organisation,
    purpose: str,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    consent: ConsentInput | None,
    phone: str = "",
    email: str = "",
    languages: str = "",
    level: str = "",
    obligation: str = "",
    customer_number: str = "",
    note: str = "",
    course_type_code: str = "",
    course: Course | None = None,
    client_reference: str = "",
) -> Referral:
    """Send a referral with the person's consent (or, for a Jobcenter's obliged client, the
    obligation). Repeating a request with the same ``client_reference`` returns the first
    referral unchanged (``was_created`` False)."""
    _check_sender(sender_organisation=sender_organisation, sender=sender)
    client_reference = client_reference.strip()
    if client_reference:
        existing = Referral.objects.filter(
            sender_organisation=sender_organisation, client_reference=client_reference
        ).first()
        if existing is not None:
            existing.was_created = False
            return existing
    if not selectors.receivers_for(sender_organisation).filter(pk=receiver.pk).exists():
        raise ReferralError(
            _("Choose a provider of your network."), code="foreign_receiver", field="receiver"
        )
    if obligation not in Obligation.values:
        raise ReferralError(_("Unknown obligation."), code="invalid", field="obligation")
    if (
        obligation == Obligation.JOBCENTER
        and sender_organisation.kind != Organisation.Kind.JOBCENTER
    ):
        raise ReferralError(
            _("Only the Jobcenter names its own obligation."),
            code="obligation_not_yours",
            field="obligation",
        )
    _check_person(first_name=first_name, last_name=last_name, date_of_birth=date_of_birth)
    _check_purpose(
        purpose=purpose, receiver=receiver, course=course, course_type_code=course_type_code
    )
    obliged = obligation == Obligation.JOBCENTER
    data = {"phone": phone, "email": email, "languages": languages, "level": level, "note": note}
    _check_consent(consent, obliged=obliged, data=data)
    now = timezone.now()
    referral = Referral(
        sender_organisation=sender_organisation,
        sender=sender,
        receiver=receiver,
        purpose=purpose,
        course=course if purpose == Purpose.COURSE else None,
        course_type_code=course_type_code if purpose == Purpose.COURSE_TYPE else "",
        client_reference=client_reference,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        phone=phone.strip(),
        email=email.strip(),
        languages=languages.strip(),
        level=level,
        obligation=obligation,
        customer_number=customer_number.strip(),
        note=note.strip(),
        status=Status.SENT,
        sent_at=now,
        last_moved_at=now,
    )
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError:  # the same client reference, sent twice at once
        existing = Referral.objects.get(
            sender_organisation=sender_organisation, client_reference=client_reference
        )
        existing.was_created = False
        return existing
    if consent is not None:
        Consent.objects.create(
            referral=referral,
            items=sorted(consent.items),
            recipient=receiver,
            purpose=purpose,
            method=consent.method,
            legal_basis=sender_organisation.legal_basis_text,
            data_protection_regime=sender_organisation.data_protection_regime,
            given_at=now,
            recorded_by=sender,
        )
    referral.was_created = True
    return referral


# --- the receiver's steps ----------------------------------------------------------------------


@transaction.atomic
def referral_accept(
    *, referral: Referral, by: User | None, learner: Learner | None = None
) -> Referral:
    """The receiving provider takes the person on (optionally matching a learner record)."""
    referral = _locked(referral)
    _step(referral, Status.ACCEPTED)
    if learner is not None:
        _match(referral, learner=learner, by=by)
    return referral


@transaction.atomic
def referral_decline(
    *, referral: Referral, by: User | None, reason: str, receiver_note: str = ""
) -> Referral:
    if reason not in DeclineReason.values:
        raise ReferralError(
            _("Choose a reason from the list."), code="reason_required", field="reason"
        )
    referral = _locked(referral)
    referral.decline_reason = reason
    if receiver_note.strip():
        referral.receiver_note = receiver_note.strip()
    return _step(referral, Status.DECLINED, fields=["decline_reason", "receiver_note"])


@transaction.atomic
def referral_close(*, referral: Referral, by: User | None, outcome: str) -> Referral:
    if outcome not in Outcome.values:
        raise ReferralError(
            _("Choose an outcome from the list."), code="outcome_required", field="outcome"
        )
    referral = _locked(referral)
    referral.outcome = outcome
    return _step(referral, Status.CLOSED, fields=["outcome"])


@transaction.atomic
def referral_note(*, referral: Referral, by: User | None, receiver_note: str) -> Referral:
    """The receiver's own note (never shown to the sender)."""
    referral = _locked(referral)
    referral.receiver_note = receiver_note.strip()[:2000]
    referral.save(update_fields=["receiver_note"])
    return referral


def _match(referral: Referral, *, learner: Learner, by: User | None) -> None:
    if learner.provider_id != referral.receiver_id:
        raise ReferralError(
            _("The learner is registered with another provider."),
            code="foreign_learner",
            field="learner",
        )
    if referral.status in (Status.SENT, Status.DECLINED, Status.CLOSED):
        raise ConflictError(
            _("Accept the referral before matching a learner."), code="transition_not_allowed"
        )
    if DataItem.IDENTITY not in referral.shared_items():
        raise ConflictError(
            _("The person's consent does not cover their identity any more."),
            code="consent_revoked",
        )
    referral.learner = learner
    referral.matched_by = by
    referral.matched_at = timezone.now()
    referral.save(update_fields=["learner", "matched_by", "matched_at"])
    _catch_up(referral)


def _steps_reached(learner: Learner, *, since: date) -> list[str]:
    """The steps the learner has already taken at their provider (booked, waiting, enrolled,
    started), so that a referral matched late is not re-typed."""
    from enrolment.models import Enrolment, PlacementBooking, WaitlistWish

    steps: list[str] = []
    if PlacementBooking.objects.filter(learner=learner, slot__date__gte=since).exists():
        steps.append(Status.TEST_BOOKED)
    enrolments = Enrolment.objects.filter(learner=learner)
    waiting = (
        enrolments.filter(
            status__in=[Enrolment.Status.WAITLISTED, Enrolment.Status.OFFERED]
        ).exists()
        or WaitlistWish.objects.filter(
            learner=learner, status__in=[WaitlistWish.Status.ACTIVE, WaitlistWish.Status.OFFERED]
        ).exists()
    )
    if waiting:
        steps.append(Status.WAITING_LISTED)
    enrolled = enrolments.filter(status=Enrolment.Status.ENROLLED).order_by("-pk").first()
    if enrolled is not None:
        steps.append(Status.ENROLLED)
        if enrolled.course_started_recorded:
            steps.append(Status.COURSE_STARTED)
    return steps


def _catch_up(referral: Referral) -> None:
    """Move a just-matched referral along the steps its learner has already taken."""
    if referral.learner is None:
        return
    for target in _steps_reached(referral.learner, since=timezone.localdate(referral.sent_at)):
        if can_move(Step(referral.status), Step(target)):
            _move(referral, target)
            referral.save(
                update_fields=["status", STEP_DATE_FIELDS[target], "last_moved_at", "stalled_at"]
            )


@transaction.atomic
def referral_match(*, referral: Referral, learner: Learner, by: User | None) -> Referral:
    """Staff confirm that the referred person is this learner record of theirs."""
    referral = _locked(referral)
    _match(referral, learner=learner, by=by)
    return referral


@transaction.atomic
def referral_learner_create(
    *, referral: Referral, by: User | None, not_a_duplicate: bool = False
) -> Learner:
    """A new learner record at the receiver from the referral's data set. A probable duplicate
    (same name and birth date, or the Jobcenter's customer number) must be matched instead, or
    staff confirm that it is another person."""
    referral = _locked(referral)
    if not not_a_duplicate and selectors.duplicate_candidates(referral):
        raise ConflictError(
            _("A learner with this name and date of birth exists: confirm the match instead."),
            code="probable_duplicate",
        )
    items = referral.shared_items()
    if DataItem.IDENTITY not in items:
        raise ConflictError(
            _("The person's consent does not cover their identity any more."),
            code="consent_revoked",
        )
    learner = Learner.objects.create(
        provider=referral.receiver,
        first_name=referral.first_name,
        last_name=referral.last_name,
        date_of_birth=referral.date_of_birth,
        phone=referral.phone if DataItem.CONTACT in items else "",
        email=referral.email if DataItem.CONTACT in items else "",
    )
    _match(referral, learner=learner, by=by)
    return learner


# --- consent -----------------------------------------------------------------------------------


@transaction.atomic
def consent_revoke(*, consent: Consent, by: User | None) -> Consent:
    """The person withdraws their consent: from now on the receiver sees none of the data it
    covered (``Referral.shared_items``). Kept as the record that consent existed."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.revoked_by = by
        consent.save(update_fields=["revoked_at", "revoked_by"])
    return consent


# --- automatic steps (signals from enrolment and people) ---------------------------------------

#: Learner events that move a matched referral on by themselves, and where to.
EVENT_STEPS: dict[str, str] = {
    LearnerEvent.Type.WAITLISTED: Status.WAITING_LISTED,
    LearnerEvent.Type.ENROLLED: Status.ENROLLED,
    LearnerEvent.Type.COURSE_STARTED: Status.COURSE_STARTED,
    LearnerEvent.Type.COMPLETED: Status.CLOSED,
    LearnerEvent.Type.WITHDRAWN: Status.CLOSED,
}
EVENT_OUTCOMES: dict[str, str] = {
    LearnerEvent.Type.COMPLETED: Outcome.COMPLETED,
    LearnerEvent.Type.WITHDRAWN: Outcome.WITHDRAWN,
}
#: Closing from an event only once the person has started at the receiver (a withdrawal from a
#: waiting list leaves the referral open for the receiver to find another course).
CLOSES_FROM = frozenset({Status.ENROLLED, Status.COURSE_STARTED})


@transaction.atomic
def referrals_advance(*, learner_id: int, target: str, outcome: str = "") -> int:
    """Move the learner's open referrals to ``target`` where the table allows; others stay.

    Runs in the caller's transaction (an enrolment or a booking): the step commits with it. A
    caller without one (an event recorded in autocommit) gets its own, as the lock needs one."""
    now = timezone.now()
    moved = 0
    open_refs = Referral.objects.select_for_update().filter(learner_id=learner_id).open()
    for referral in open_refs:
        if target == Status.CLOSED and referral.status not in CLOSES_FROM:
            continue
        if not can_move(Step(referral.status), Step(target)):
            continue
        _move(referral, target, now=now)
        referral.outcome = outcome or referral.outcome
        referral.save(
            update_fields=[
                "status",
                STEP_DATE_FIELDS[target],
                "last_moved_at",
                "stalled_at",
                "outcome",
            ]
        )
        moved += 1
    return moved


def on_learner_event(event: LearnerEvent) -> int:
    target = EVENT_STEPS.get(event.type)
    if target is None:
        return 0
    return referrals_advance(
        learner_id=event.learner_id, target=target, outcome=EVENT_OUTCOMES.get(event.type, "")
    )


def on_placement_booked(*, learner_id: int) -> int:
    return referrals_advance(learner_id=learner_id, target=Status.TEST_BOOKED)


# --- stalls ------------------------------------------------------------------------------------


def referrals_flag_stalled(*, now: datetime | None = None) -> list[int]:
    """Flag every referral that has rested ``REFERRAL_STALL_DAYS`` in a step where someone must
    act, exactly once per stall (the flag stays until the next step clears it); both sides are
    told by e-mail after commit. Returns the ids flagged now."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.REFERRAL_STALL_DAYS)
    flagged: list[int] = []
    with transaction.atomic():
        due = list(
            Referral.objects.select_for_update()
            .filter(status__in=STALL_STEPS, stalled_at__isnull=True, last_moved_at__lte=limit)
            .values_list("pk", flat=True)
        )
        if due:
            Referral.objects.filter(pk__in=due, stalled_at__isnull=True).update(stalled_at=now)
            flagged = due
    if flagged:
        from referrals.tasks import send_stall_mail

        ids = list(flagged)
        transaction.on_commit(lambda: send_stall_mail.enqueue(referral_ids=ids))
    return flagged
