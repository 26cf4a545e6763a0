"""What the network directory tells about a location: services, languages, opening hours,
accessibility, childcare and the postcodes it serves.

Public facts about a place, never about a person: anyone may read them (``referrals.directory``).
Course types and levels offered are derived from the catalogue's current courses at the location
plus the course types the location declares (kept as codes: course types are versioned rule
data in ``courses``, which this app does not import).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.languages import ISO_639_1


class Service(models.TextChoices):
    """Counselling topics and offers besides the courses (the networks' own vocabulary)."""

    MBE = "mbe", _("Migration counselling for adults (MBE)")
    JMD = "jmd", _("Youth migration service (JMD)")
    REFUGEE_COUNSELLING = "refugee_counselling", _("Counselling for refugees and asylum seekers")
    TRAUMA = "trauma", _("Counselling for traumatised refugees")
    WORK = "work", _("Counselling on work and recognition of qualifications")
    PLACEMENT_TEST = "placement_test", _("Placement tests")
    INTEGRATION_GUIDES = "integration_guides", _("Integration guides (Integrationslotsen)")
    LANGUAGE_CAFE = "language_cafe", _("Language café")
    LANGUAGE_BUDDIES = "language_buddies", _("Language buddies")
    INTERNSHIPS = "internships", _("Internship placement")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


POSTCODE_PREFIX = re.compile(r"^[0-9]{2,5}$")
COURSE_TYPE_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")


def _list_of(value: object) -> list:
    if not isinstance(value, list):
        raise ValidationError(_("Enter a list."), code="invalid")
    return value


def languages_valid(value: object) -> None:
    """ISO 639-1 codes (``ar``, ``fa``, ``uk``): one code per language, whatever its name."""
    for item in _list_of(value):
        if not isinstance(item, str) or item not in ISO_639_1:
            raise ValidationError(
                _("“%(value)s” is not an ISO 639-1 language code."),
                code="invalid",
                params={"value": item},
            )


def services_valid(value: object) -> None:
    for item in _list_of(value):
        if item not in Service.values:
            raise ValidationError(
                _("“%(value)s” is not a known service."), code="invalid", params={"value": item}
            )


def postcode_prefixes_valid(value: object) -> None:
    """Whole postcodes (``25421``) or their leading digits (``254``: every postcode 254xx)."""
    for item in _list_of(value):
        if not isinstance(item, str) or not POSTCODE_PREFIX.match(item):
            raise ValidationError(
                _("“%(value)s” is not a postcode or the first 2 to 5 digits of one."),
                code="invalid",
                params={"value": item},
            )


def course_type_codes_valid(value: object) -> None:
    for item in _list_of(value):
        if not isinstance(item, str) or not COURSE_TYPE_CODE.match(item):
            raise ValidationError(
                _("“%(value)s” is not a course type code."), code="invalid", params={"value": item}
            )


class OpeningHours(models.Model):
    """One opening period of a location on a weekday (several rows for a lunch break)."""

    location = models.ForeignKey(
        "people.Location",
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="opening_hours",
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("from"))
    closes = models.TimeField(_("until"))
    note = models.CharField(
        _("note"), max_length=100, blank=True, help_text=_("e.g. drop-in, by appointment")
    )

    personal_data = False

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="opening_hours_close_after_open"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0) & Q(weekday__lte=6), name="opening_hours_weekday"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("The closing time must be after the opening time.")})
