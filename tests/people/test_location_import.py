"""Location import/export: all or nothing, idempotent, only into one's own provider."""

import pytest
import tablib

from people.models import Location
from people.resources import LocationResource
from tests.people.helpers import (
    XLSX_FORMAT,
    admin_export,
    admin_import,
    build_admin_world,
    client_for,
    csv_upload,
    superuser,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_admin_world()


ROWS = [
    {
        "name": "Lernhaus Wedel",
        "street": "Rosengarten 5",
        "postcode": "22880",
        "town": "Wedel",
        "state": "SH",
        "step_free": "ja",
    },
    {
        "name": "Gemeindehaus Quickborn",
        "street": "Kirchenstraße 10",
        "postcode": "25451",
        "town": "Quickborn",
        "state": "Schleswig-Holstein",
        "step_free": "nein",
    },
]
NAMES = {"Lernhaus Wedel", "Gemeindehaus Quickborn"}


def test_good_csv_imports_into_the_staff_members_provider(world):
    _, done = admin_import(client_for(world.a.staff), "people.location", csv_upload(ROWS))
    assert done.status_code == 302
    imported = Location.objects.filter(name__in=NAMES)
    assert {loc.organisation for loc in imported} == {world.a.provider}
    wedel = imported.get(name="Lernhaus Wedel")
    assert (wedel.town, wedel.state, wedel.step_free) == ("Wedel", "SH", True)


def test_good_xlsx_imports(world):
    client = client_for(world.a.staff)
    admin_import(client, "people.location", xlsx_upload(ROWS), fmt=XLSX_FORMAT)
    assert Location.objects.filter(name__in=NAMES, organisation=world.a.provider).count() == 2


def test_bad_row_writes_nothing_and_errors_are_listed(world):
    rows = [
        *ROWS,
        {
            "name": "",
            "street": "",
            "postcode": "",
            "town": "",
            "state": "XX",
            "step_free": "vielleicht",
        },
    ]
    preview, done = admin_import(client_for(world.a.staff), "people.location", csv_upload(rows))
    assert done is None
    invalid = {row.number: row.error_dict for row in preview.context["result"].invalid_rows}
    assert set(invalid) == {3}
    assert {"name", "town", "state", "step_free"} <= set(invalid[3])
    assert not Location.objects.filter(name__in=NAMES).exists()


def test_reimport_is_idempotent(world):
    client = client_for(world.a.staff)
    admin_import(client, "people.location", csv_upload(ROWS))
    preview, _ = admin_import(client, "people.location", csv_upload(ROWS))
    assert preview.context["result"].totals["skip"] == 2
    assert Location.objects.filter(name__in=NAMES).count() == 2


def test_outsider_cannot_import_into_another_provider(world):
    rows = [{**row, "provider": world.a.provider.name} for row in ROWS]
    preview, done = admin_import(client_for(world.b.staff), "people.location", csv_upload(rows))
    assert done is None
    errors = [row.error_dict for row in preview.context["result"].invalid_rows]
    assert len(errors) == 2 and all("provider" in e for e in errors)
    assert not Location.objects.filter(name__in=NAMES).exists()


def test_same_name_at_another_provider_is_a_different_location(world):
    rows = [{**ROWS[0], "name": world.a.location.name, "town": "Barmstedt"}]
    admin_import(client_for(world.b.staff), "people.location", csv_upload(rows))
    world.a.location.refresh_from_db()
    assert world.a.location.town == "Pinneberg"
    assert Location.objects.get(organisation=world.b.provider, name=world.a.location.name)


def test_superuser_names_the_provider(world):
    root = superuser()
    preview, _ = admin_import(client_for(root), "people.location", csv_upload(ROWS))
    assert preview.context["result"].has_validation_errors()  # which provider?
    rows = [{**row, "provider": world.b.provider.name} for row in ROWS]
    admin_import(client_for(root), "people.location", csv_upload(rows))
    assert Location.objects.filter(name__in=NAMES, organisation=world.b.provider).count() == 2


def test_export_has_only_own_locations(world):
    response = admin_export(client_for(world.a.staff), "people.location")
    assert response["Content-Type"].startswith("text/csv")
    dataset = tablib.Dataset().load(response.content.decode("utf-8"), format="csv")
    assert list(dataset["name"]) == [world.a.location.name]
    result = LocationResource(user=world.a.staff).import_data(dataset, dry_run=True)
    assert result.totals["skip"] == 1 and not result.has_validation_errors()
