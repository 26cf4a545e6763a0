"""Creating a referral: consent first, the minimum data set, the sender and the purpose checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Course, CourseType
from people.models import Location, Organisation, Role, User
from people.rules import birth_date_problem
from referrals import selectors
from referrals.models import (
    Consent,
    DataItem,
    Obligation,
    Purpose,
    Referral,
    Status,
)
from referrals.services.consent import _new_code
from referrals.services.steps import ReferralError, _announce

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


def _check_location(*, location: Location | None, receiver: Organisation) -> None:
    """The place chosen in the directory must be one of the receiver's: a referral must not name
    one provider and point the person to another's door."""
    if location is not None and location.organisation_id != receiver.pk:
        raise ReferralError(
            _("Choose a location of the receiving provider."),
            code="foreign_location",
            field="receiver_location",
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
    receiver_location: Location | None = None,
) -> Referral:
    """Send a referral with the person's consent (or, for a Jobcenter's obliged client, the
    obligation). Repeating a request with the same ``client_reference`` returns the first
    referral unchanged (``was_created`` False). A consent to be confirmed by the person
    (``LOGIN_CODE``) is pending; its code is on ``consent_code``, this once."""
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
    _check_location(location=receiver_location, receiver=receiver)
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
        receiver_location=receiver_location,
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
        row = Consent(
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
        if consent.method == Consent.Method.LOGIN_CODE:
            # pending until the person confirms with the code; shown to the sender once
            referral.consent_code = _new_code(row)
        row.save()
    _announce(referral, Status.SENT, when=now)
    referral.was_created = True
    return referral
