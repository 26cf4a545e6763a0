"""The directory facts on a location: the validators the page, admin and service share, and
the demo entries (one for each of the 13 demo locations, every value valid)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from people.demo import PROVIDERS
from people.demo.directory import ENTRIES, seed_directory
from people.models import Location, OpeningHours, Service
from people.models.directory import languages_valid, postcode_prefixes_valid, services_valid
from tests.factories import LocationFactory, OrganisationFactory


@pytest.mark.parametrize(
    ("validator", "good", "bad"),
    [
        (languages_valid, ["ar", "fa", "uk", "ti"], ["ar", "Arabisch"]),
        (languages_valid, [], "ar"),
        (postcode_prefixes_valid, ["25421", "254", "25"], ["2"]),
        (postcode_prefixes_valid, ["22880"], ["254213"]),
        (postcode_prefixes_valid, ["22880"], ["Wedel"]),
        (services_valid, [Service.MBE, Service.LANGUAGE_CAFE], ["mbe", "sauna"]),
    ],
)
def test_validators(validator, good, bad):
    validator(good)
    with pytest.raises(ValidationError):
        validator(bad)


def test_every_demo_location_has_an_entry_and_every_value_is_valid():
    names = {location[0] for spec in PROVIDERS for location in spec.locations}
    assert len(names) == 13
    assert set(ENTRIES) == names
    for entry in ENTRIES.values():
        languages_valid(list(entry.languages))
        services_valid([str(s) for s in entry.services])
        postcode_prefixes_valid(list(entry.served))
        assert entry.hours and all(start < end for _d, start, end, _n in entry.hours)


@pytest.mark.django_db
def test_the_demo_fills_empty_entries_once_and_keeps_edits():
    provider = OrganisationFactory(name="DiakoMigra")
    wedel = LocationFactory(organisation=provider, name="Lernhaus Wedel", postcode="22880")
    edited = LocationFactory(organisation=provider, name="Treffpunkt Halstenbek", languages=["pl"])
    other = LocationFactory(organisation=provider, name="Nicht im Demo")
    assert seed_directory([wedel, edited, other]) == 1
    wedel.refresh_from_db()
    assert wedel.served_postcodes == ["22880", "25488", "25491"]
    assert wedel.childcare and wedel.lift
    hours = OpeningHours.objects.filter(location=wedel).count()
    assert hours == 3
    assert seed_directory([Location.objects.get(pk=wedel.pk)]) == 0  # again: nothing
    assert OpeningHours.objects.filter(location=wedel).count() == hours
    edited.refresh_from_db()
    assert edited.languages == ["pl"] and edited.services == []
