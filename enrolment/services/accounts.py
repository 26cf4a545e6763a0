"""Learner accounts and one-time login codes, and registration from the public catalogue."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.models import (
    LoginCode,
)
from enrolment.services.base import EnrolmentError
from people.models import Learner, Organisation, User
from people.phones import phone_normalise
from people.rules import birth_date_problem


def code_hash(code: str) -> str:
    """The stored form of a one-time code: case, spaces and dashes do not matter."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(normal.encode()).hexdigest()


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper


@dataclass(frozen=True, slots=True)
class OneTimeCode:
    """A new one-time code: ``plain`` goes on paper (or the screen) once, ``hash`` is stored."""

    plain: str
    hash: str


def one_time_code() -> OneTimeCode:
    """Twelve characters without look-alikes in groups of four (``ABCD-EFGH-JKLM``), for a
    learner's login and for a referred person's confirmation of consent alike."""
    plain = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    plain = "-".join(plain[i : i + 4] for i in range(0, 12, 4))
    return OneTimeCode(plain=plain, hash=code_hash(plain))


@transaction.atomic
def learner_account_create(*, learner: Learner, by: User | None = None) -> User:
    """Give the learner a login (no password: they log in with a printed code)."""
    learner = Learner.objects.select_for_update().get(pk=learner.pk)
    if learner.user is not None:
        return learner.user
    user = User(
        username=f"tn-{learner.provider_id}-{learner.pk}-{secrets.token_hex(3)}",
        first_name=learner.first_name,
        last_name=learner.last_name,
        email=learner.email,
        preferred_language=learner.preferred_language,
    )
    user.set_unusable_password()
    user.save()
    learner.user = user
    learner.save(update_fields=["user", "updated_at"])
    return user


@transaction.atomic
def login_code_issue(*, learner: Learner, by: User | None = None) -> tuple[LoginCode, str]:
    """Issue a one-time login code; earlier unused codes stop working. Returns (row, plain code).

    Only a hash is stored, so the plain code exists on the printed sheet only.
    """
    learner_account_create(learner=learner, by=by)
    now = timezone.now()
    LoginCode.objects.filter(learner=learner, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    code = one_time_code()
    days = settings.ENROLMENT_LOGIN_CODE_DAYS
    row = LoginCode.objects.create(
        learner=learner,
        code_hash=code.hash,
        expires_at=now + timedelta(days=days),
        created_by=by,
    )
    return row, code.plain


@transaction.atomic
def login_code_redeem(*, code: str) -> User:
    """Exchange a code for the learner's user; a used, revoked, expired or unknown code is refused."""
    row = (
        LoginCode.objects.select_for_update(of=("self",))
        .select_related("learner__user")
        .filter(code_hash=code_hash(code))
        .first()
    )
    if row is None or row.learner.user is None or not row.learner.user.is_active:
        raise EnrolmentError(_("This login code is not valid."), code="code_invalid", field="code")
    if row.used_at is not None:
        raise EnrolmentError(
            _("This login code has already been used."), code="code_used", field="code"
        )
    if row.revoked_at is not None:
        raise EnrolmentError(
            _("This login code was replaced by a newer one."), code="code_revoked", field="code"
        )
    if row.expires_at <= timezone.now():
        raise EnrolmentError(_("This login code has expired."), code="code_expired", field="code")
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    return row.learner.user


@dataclass(frozen=True, slots=True)
class Registration:
    """The learner a catalogue registration reached; ``is_new`` is False when the same person
    (name and birth date) was already registered with the provider."""

    learner: Learner
    is_new: bool


@transaction.atomic
def learner_register(
    *,
    provider: Organisation,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    phone: str = "",
    email: str = "",
    preferred_language: str = "de",
) -> Registration:
    """Self-registration from the catalogue: a learner record (identity not yet confirmed by
    staff) with a login for this phone.

    The same name and birth date at the same provider make no second learner or account: the
    existing record is returned (``is_new=False``) and the page answers as for a new
    registration, without signing the phone in — that would hand the existing account to
    anyone who knows a name and a birth date.
    """
    if not (phone.strip() or email.strip()):
        raise EnrolmentError(
            _("Give a phone number or an e-mail address."), code="contact_required", field="phone"
        )
    problem = birth_date_problem(date_of_birth, today=timezone.localdate())
    if problem:
        raise EnrolmentError(problem, code="implausible_birth_date", field="date_of_birth")
    phone = phone_normalise(phone)  # "0151 999" is refused at the field
    for field, value in (("first_name", first_name), ("last_name", last_name)):
        try:
            name_field = Learner._meta.get_field(field)
            assert isinstance(name_field, models.Field)  # a column, not a relation
            name_field.clean(value.strip(), None)
        except ValidationError as exc:
            raise EnrolmentError(exc.messages[0], code="invalid_name", field=field) from exc
    provider = Organisation.objects.select_for_update().get(pk=provider.pk)  # one at a time
    existing = (
        Learner.all_objects.filter(
            provider=provider,
            date_of_birth=date_of_birth,
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return Registration(learner=existing, is_new=False)
    learner = Learner.objects.create(
        provider=provider,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        phone=phone,
        email=email.strip(),
        preferred_language=preferred_language,
    )
    learner_account_create(learner=learner)
    learner.refresh_from_db()
    return Registration(learner=learner, is_new=True)
