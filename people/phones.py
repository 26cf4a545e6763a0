"""Phone numbers: one rule, kept by the ``phonenumbers`` library (Google's libphonenumber data),
not by our own patterns. Numbers without a country code are read as German."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext as _

from core.errors import DomainError

#: Numbers written without +country are read in this region.
DEFAULT_REGION = "DE"


class PhoneError(DomainError):
    pass


def phone_normalise(raw: str, *, region: str = DEFAULT_REGION) -> str:
    """The number in international form (``+49 151 23456789``), or "" for an empty input.

    A number that cannot exist (too short, like "0151 999", or no such area) is refused with a
    message naming the field, so registration and staff forms say it at the phone field.
    """
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise PhoneError(
            _("This phone number is not complete or does not exist. Example: 0151 23456789."),
            code="invalid_phone",
            field="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_field_clean(value: str) -> str:
    """The rule as a form field's ``clean_phone``: the message at the phone field."""
    from django import forms

    try:
        return phone_normalise(value)
    except PhoneError as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc


class PhoneFormMixin:
    """For staff ModelForms (admin) with a ``phone`` field. A number kept from before the rule
    is checked only when it is changed, so it does not block other corrections."""

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        if self.instance.pk and "phone" not in self.changed_data:
            return value
        return phone_field_clean(value)
