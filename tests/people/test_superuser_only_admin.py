"""Networks and a Jobcenter's participation rules belong to no provider: only active superusers
see or change them in the admin (``people.scoped_admin.SuperuserOnlyAdmin``)."""

import pytest
from django.urls import reverse

from people.models import Network
from tests.people.helpers import build_admin_world, client_for, superuser

pytestmark = pytest.mark.django_db

PAGES = [
    ("admin:people_network_changelist", ()),
    ("admin:people_network_add", ()),
    ("admin:jobcenter_participationrule_changelist", ()),
    ("admin:jobcenter_participationrule_add", ()),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_provider_staff_are_refused(name, args):
    world = build_admin_world()
    assert client_for(world.a.staff).get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_a_superuser_sees_them(name, args):
    assert client_for(superuser()).get(reverse(name, args=args)).status_code == 200


def test_only_a_superuser_deletes_a_network():
    world = build_admin_world()
    network = Network.objects.create(name="Netz Nord")
    url = reverse("admin:people_network_delete", args=[network.pk])
    assert client_for(world.a.staff).post(url, {"post": "yes"}).status_code == 403
    assert Network.objects.filter(pk=network.pk).exists()
    assert client_for(superuser()).post(url, {"post": "yes"}).status_code == 302
    assert not Network.objects.filter(pk=network.pk).exists()
