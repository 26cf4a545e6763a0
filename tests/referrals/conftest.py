"""A network: counselling at Caritas (world.b) refers to Diakonie (world.a); the Jobcenter of
the network refers too. Outsiders: a provider outside the network, another counsellor, the
other Jobcenter."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from people.models import Network, Role
from referrals import services
from referrals.models import Consent, DataItem, Purpose
from tests.factories import OrganisationFactory, member


def consent(*items: str, method: str = Consent.Method.ON_SCREEN) -> services.ConsentInput:
    return services.ConsentInput(
        items=frozenset(items or (DataItem.IDENTITY, DataItem.CONTACT, DataItem.LANGUAGES)),
        method=method,
    )


@pytest.fixture
def net(world):
    network = Network.objects.create(name="Netzwerk Kreis Pinneberg")
    for org in (world.a.provider, world.b.provider, world.jobcenter):
        org.network = network
        org.save(update_fields=["network"])
    outside = OrganisationFactory(name="Träger anderswo")
    counsellor = member(
        world.b.provider, Role.COUNSELLOR, username="caritas-mbe", email="mbe@x.example"
    )
    other_counsellor = member(world.b.provider, Role.COUNSELLOR, username="caritas-mbe2")
    outsider_staff = member(outside, Role.STAFF, username="outside-staff")
    return SimpleNamespace(
        w=world,
        network=network,
        sender_org=world.b.provider,
        receiver=world.a.provider,
        receiver_staff=world.a.staff,
        counsellor=counsellor,
        other_counsellor=other_counsellor,
        outside=outside,
        outsider_staff=outsider_staff,
    )


def send(net, **overrides):
    values = dict(
        sender_organisation=net.sender_org,
        sender=net.counsellor,
        receiver=net.receiver,
        purpose=Purpose.PLACEMENT_TEST,
        first_name="Amal",
        last_name="Haddad",
        date_of_birth=dt.date(1990, 4, 2),
        phone="0151 1234567",
        languages="Arabisch, Englisch",
        consent=consent(),
    )
    values.update(overrides)
    return services.referral_create(**values)
