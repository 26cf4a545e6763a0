"""Plausibility rules written once for registration, staff forms, admin and imports: personal data
and the addresses a location gives for its classrooms."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
#: Integration courses admit learners from 16 (§ 44 AufenthG, IntV); youth courses start there.
MINIMUM_AGE = 16


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birth_date_problem(born: date, *, today: date, minimum_age: int = MINIMUM_AGE) -> str | None:
    """What is wrong with a birth date, in words for the person typing it (None: plausible)."""
    if born > today:
        return _("The date of birth is in the future.")
    if born < EARLIEST_BIRTH_DATE:
        return _("The date of birth is before 1900. Please check the year.")
    if age_on(born, today) < minimum_age:
        return _("Participants must be at least %(age)d years old.") % {"age": minimum_age}
    return None


def networks_valid(value: object) -> None:
    """A list of network addresses (``192.0.2.0/24``, ``2001:db8::/32`` or one address)."""
    import ipaddress

    from django.core.exceptions import ValidationError

    if not isinstance(value, list):
        raise ValidationError(_("Enter a list of network addresses."), code="invalid")
    for item in value:
        try:
            ipaddress.ip_network(str(item), strict=False)
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a network address such as 192.0.2.0/24."),
                code="invalid",
                params={"value": item},
            ) from None


def address_in_networks(address: str, networks: list[str]) -> bool:
    """Whether ``address`` lies in one of ``networks`` (an unreadable address does not)."""
    import ipaddress

    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(str(n), strict=False) for n in networks)
