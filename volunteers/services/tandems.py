"""Language buddies: propose, the learner's consent (given, declined, withdrawn), meetings,
the regular "still meeting?" question and the flag for a tandem that has gone quiet.

The learner's consent comes before the volunteer sees anything of them. Withdrawing it ends the
tandem in the same transaction, and the volunteer's pages only ever read tandems with consent
given and not withdrawn (``Tandem.objects.visible_to_volunteer()``), so the learner disappears
from the volunteer's view with the next page they open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import ConflictError
from people.models import Learner, User
from volunteers.models import (
    ContactChannel,
    HoursEntry,
    Tandem,
    TandemCheckin,
    TandemMeeting,
    Volunteer,
    VolunteerPolicy,
    VolunteerRole,
)
from volunteers.rules import Reason
from volunteers.services.base import VolunteerError, mail_after_commit, now, today
from volunteers.services.profiles import coordinator_ids
from volunteers.services.requirements import assignment_check

OPEN = (Tandem.Status.PROPOSED, Tandem.Status.ACTIVE)


def _locked(tandem: Tandem) -> Tandem:
    return (
        Tandem.objects.select_for_update(of=("self",))
        .select_related("volunteer__user", "learner")
        .get(pk=tandem.pk)
    )


@transaction.atomic
def tandem_propose(
    *,
    volunteer: Volunteer,
    learner: Learner,
    contact_channel: str,
    by: User,
    contact_detail: str = "",
    meeting_times: str = "",
    reasons: list[Reason] | None = None,
) -> Tandem:
    """Staff propose a volunteer as the learner's language buddy; it waits for consent.

    The volunteer must be active with the tandem role's requirements met today, and the learner
    of the same provider. Nothing of the learner reaches the volunteer before consent.
    """
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    if volunteer.status != Volunteer.Status.ACTIVE:
        raise VolunteerError(
            _("Only active volunteers can be language buddies."), code="not_active"
        )
    if learner.provider_id != volunteer.provider_id:
        raise VolunteerError(
            _("The learner belongs to another provider."), code="foreign_learner", field="learner"
        )
    if contact_channel not in ContactChannel.values:
        raise VolunteerError(
            _("Choose how they will get in touch."),
            code="channel_required",
            field="contact_channel",
        )
    if contact_channel != ContactChannel.OFFICE and not contact_detail.strip():
        raise VolunteerError(
            _("Give the contact the learner agreed to share."),
            code="contact_required",
            field="contact_detail",
        )
    assignment_check(volunteer=volunteer, role=VolunteerRole.TANDEM, on=today())
    try:
        with transaction.atomic():
            tandem = Tandem.objects.create(
                provider_id=volunteer.provider_id,
                volunteer=volunteer,
                learner=learner,
                contact_channel=contact_channel,
                contact_detail=contact_detail.strip(),
                meeting_times=meeting_times.strip(),
                match_reasons=[r.as_dict() for r in reasons or []],
                proposed_by=by,
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("These two already have an open tandem."), code="tandem_exists"
        ) from exc
    if learner.user_id:
        mail_after_commit(
            kind="learner_consent_asked",
            user_ids=[learner.user_id],
            context={"tandem_id": tandem.pk},
        )
    return tandem


@transaction.atomic
def tandem_consent_give(*, tandem: Tandem, method: str, by: User) -> Tandem:
    """Record the learner's consent (by the learner in their account, or by staff who saw it in
    person or on a signed form); the tandem starts and the volunteer sees the learner's first
    name, languages, level and the agreed contact."""
    tandem = _locked(tandem)
    if tandem.status != Tandem.Status.PROPOSED:
        raise VolunteerError(_("This tandem is not waiting for consent."), code="not_proposed")
    if method not in Tandem.ConsentMethod.values:
        raise VolunteerError(
            _("Say how the consent was given."), code="method_required", field="method"
        )
    if method == Tandem.ConsentMethod.ACCOUNT and by.pk != tandem.learner.user_id:
        raise VolunteerError(_("Only the learner consents in their account."), code="not_learner")
    tandem.status = Tandem.Status.ACTIVE
    tandem.consent_given_at = now()
    tandem.consent_method = method
    tandem.consent_recorded_by = by
    tandem.started_on = today()
    tandem.last_sign_of_life = today()
    tandem.save()
    mail_after_commit(
        kind="tandem_started", user_ids=[tandem.volunteer.user_id], context={"tandem_id": tandem.pk}
    )
    return tandem


@transaction.atomic
def tandem_consent_decline(*, tandem: Tandem, by: User) -> Tandem:
    """The learner does not want this buddy: the proposal ends; the volunteer never saw them."""
    tandem = _locked(tandem)
    if tandem.status != Tandem.Status.PROPOSED:
        raise VolunteerError(_("This tandem is not waiting for consent."), code="not_proposed")
    tandem.status = Tandem.Status.ENDED
    tandem.end_reason = Tandem.EndReason.DECLINED
    tandem.ended_on = today()
    tandem.save()
    return tandem


@transaction.atomic
def tandem_consent_withdraw(*, tandem: Tandem, by: User) -> Tandem:
    """The learner withdraws consent (themselves, or staff for them): the tandem ends at once and
    the learner is gone from the volunteer's pages; coordinators are told."""
    tandem = _locked(tandem)
    if tandem.consent_given_at is None or tandem.consent_withdrawn_at is not None:
        raise VolunteerError(_("There is no consent to withdraw."), code="no_consent")
    tandem.consent_withdrawn_at = now()
    if tandem.status != Tandem.Status.ENDED:
        tandem.status = Tandem.Status.ENDED
        tandem.end_reason = Tandem.EndReason.CONSENT_WITHDRAWN
        tandem.ended_on = today()
    tandem.save()
    mail_after_commit(
        kind="staff_consent_withdrawn",
        user_ids=coordinator_ids(tandem.provider_id),
        context={"tandem_id": tandem.pk},
    )
    return tandem


@transaction.atomic
def tandem_end(*, tandem: Tandem, reason: str, by: User | None) -> Tandem:
    tandem = _locked(tandem)
    if tandem.status == Tandem.Status.ENDED:
        return tandem
    if reason not in Tandem.EndReason.values:
        raise VolunteerError(_("Choose a reason."), code="reason_required", field="reason")
    tandem.status = Tandem.Status.ENDED
    tandem.end_reason = reason
    tandem.ended_on = today()
    tandem.save()
    return tandem


def _alive(tandem: Tandem, day: date) -> None:
    """A sign of life: the tandem is no longer stalled (a later silence flags it again)."""
    tandem.last_sign_of_life = max(filter(None, [tandem.last_sign_of_life, day]))
    tandem.stalled_since = None
    tandem.save(update_fields=["last_sign_of_life", "stalled_since"])


@transaction.atomic
def tandem_meeting_log(
    *, tandem: Tandem, day: date, minutes: int, note: str = "", by: User
) -> TandemMeeting:
    """The volunteer logs a meeting; its time goes to the hours for staff approval."""
    tandem = _locked(tandem)
    if tandem.status != Tandem.Status.ACTIVE or tandem.consent_withdrawn_at is not None:
        raise VolunteerError(_("This tandem is not running."), code="not_active")
    if day > today() or (tandem.started_on and day < tandem.started_on):
        raise VolunteerError(
            _("The date must be between the start of the tandem and today."),
            code="date_out_of_range",
            field="date",
        )
    if not 1 <= minutes <= 600:
        raise VolunteerError(
            _("Give the length in minutes (up to 10 hours)."),
            code="minutes_out_of_range",
            field="minutes",
        )
    meeting = TandemMeeting.objects.create(tandem=tandem, date=day, minutes=minutes, note=note)
    HoursEntry.objects.create(
        volunteer_id=tandem.volunteer_id,
        date=day,
        minutes=minutes,
        source=HoursEntry.Source.TANDEM,
        tandem_meeting=meeting,
    )
    _alive(tandem, day)
    return meeting


@transaction.atomic
def tandem_checkin_answer(
    *, checkin: TandemCheckin, answer: str, by: User, note: str = ""
) -> TandemCheckin:
    """The volunteer answers "still meeting?". Yes or a break is a sign of life; wanting to stop
    is flagged to the coordinators."""
    checkin = TandemCheckin.objects.select_for_update().get(pk=checkin.pk)
    if answer not in TandemCheckin.Answer.values:
        raise VolunteerError(_("Choose an answer."), code="answer_required", field="answer")
    tandem = _locked(checkin.tandem)
    checkin.answer, checkin.note, checkin.answered_at = answer, note, now()
    checkin.save(update_fields=["answer", "note", "answered_at"])
    if answer == TandemCheckin.Answer.ENDING:
        tandem.stalled_since = tandem.stalled_since or today()
        tandem.save(update_fields=["stalled_since"])
        mail_after_commit(
            kind="staff_tandem_at_risk",
            user_ids=coordinator_ids(tandem.provider_id),
            context={"tandem_ids": [tandem.pk]},
        )
    else:
        _alive(tandem, today())
    return checkin


def _policy(provider_id: int) -> VolunteerPolicy:
    return VolunteerPolicy.objects.filter(provider_id=provider_id).first() or VolunteerPolicy()


@dataclass(frozen=True)
class TandemRound:
    asked: int
    flagged: int


@transaction.atomic
def tandems_review(*, on: date | None = None) -> TandemRound:
    """The daily round over running tandems (idempotent within a day).

    Asks "still meeting?" when the provider's interval has passed since the last sign of life
    and the last question; flags to the coordinators, once per stall, a tandem without a meeting
    or an answer for the provider's stall time.
    """
    on = on or today()
    asked = flagged = 0
    policies: dict[int, VolunteerPolicy] = {}
    stalled: dict[int, list[int]] = {}
    running = (
        Tandem.objects.select_for_update(of=("self",))
        .filter(status=Tandem.Status.ACTIVE, consent_withdrawn_at__isnull=True)
        .select_related("volunteer")
        .order_by("pk")
    )
    last_asked = {  # ascending: the latest question of each tandem is the one that stays
        row["tandem_id"]: row["asked_on"]
        for row in TandemCheckin.objects.filter(tandem__status=Tandem.Status.ACTIVE)
        .order_by("tandem_id", "asked_on")
        .values("tandem_id", "asked_on")
    }
    for tandem in running:
        policy = policies.setdefault(tandem.provider_id, _policy(tandem.provider_id))
        alive = tandem.last_sign_of_life or tandem.started_on or on
        asked_on = last_asked.get(tandem.pk)
        interval = timedelta(days=policy.checkin_interval_days)
        if on - alive >= interval and (asked_on is None or on - asked_on >= interval):
            TandemCheckin.objects.create(tandem=tandem, asked_on=on)
            mail_after_commit(
                kind="tandem_checkin",
                user_ids=[tandem.volunteer.user_id],
                context={"tandem_id": tandem.pk},
            )
            asked += 1
        if tandem.stalled_since is None and on - alive >= timedelta(days=policy.stall_after_days):
            tandem.stalled_since = on
            tandem.save(update_fields=["stalled_since"])
            stalled.setdefault(tandem.provider_id, []).append(tandem.pk)
            flagged += 1
    for provider_id, ids in stalled.items():
        mail_after_commit(
            kind="staff_tandem_at_risk",
            user_ids=coordinator_ids(provider_id),
            context={"tandem_ids": ids},
        )
    return TandemRound(asked=asked, flagged=flagged)
