"""The admin shows each provider's staff only their own employers, documents and placements."""

import pytest

from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_are_scoped_to_the_provider(client, world):
    mine = EmployerFactory(provider=world.a.provider, name="Eigener Betrieb")
    theirs = EmployerFactory(provider=world.b.provider, name="Fremder Betrieb")
    staff = world.a.staff
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    html = client.get("/admin/internships/employer/").content.decode()
    assert "Eigener Betrieb" in html and "Fremder Betrieb" not in html
    r = client.get(f"/admin/internships/employer/{theirs.pk}/change/")
    assert (r.status_code, r["Location"]) == (302, "/admin/")  # as for a missing object
    assert client.get(f"/admin/internships/employer/{mine.pk}/change/").status_code == 200
    for url in (
        "/admin/internships/placement/",
        "/admin/certificates/document/",
        "/admin/certificates/testresult/",
    ):
        assert client.get(url).status_code == 200, url
