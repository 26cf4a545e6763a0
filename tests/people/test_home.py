"""The site root sends each person to where their work is."""

import pytest

from people.models import Role
from tests.factories import LearnerFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_land_on_the_catalogue(client):
    assert client.get("/").url == "/courses/"


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        (Role.STAFF, "/dashboard/"),
        (Role.TEACHER, "/teach/"),
        (Role.NETWORK_VIEWER, "/dashboard/network/"),
    ],
)
def test_roles_land_on_their_start_page(client, world, role, url_name):
    user = member(world.a.provider, role)
    client.force_login(user)
    assert url_name in client.get("/").url


def test_caseworker_lands_on_the_portal(client, world):
    client.force_login(world.caseworker)
    assert "jobcenter" in client.get("/").url


def test_learner_lands_on_their_home_page(client, world):
    user = UserFactory()
    LearnerFactory(provider=world.a.provider, user=user)
    client.force_login(user)
    assert client.get("/").url == "/me/"
