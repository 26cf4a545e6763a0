"""Helpers for admin tests: logged-in clients and the "doesn't exist" answer for foreign rows."""

from __future__ import annotations

import csv
import io

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from people.models import User


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def superuser() -> User:
    return User.objects.create_superuser("root", "root@example.org", "x-pass-123!")


def changelist_pks(response) -> set[int]:
    assert response.status_code == 200, response.status_code
    return {obj.pk for obj in response.context["cl"].result_list}


def assert_treated_as_missing(response, obj) -> None:
    """Django's admin answers a missing object with a redirect to the index and a message;
    a foreign object must get exactly that, without showing anything of it."""
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f"„{obj.pk}“" in t and "existiert nicht" in t for t in texts), texts


def choice_pks(response, field: str) -> set[int]:
    """Primary keys offered by a form field of the admin add/change page."""
    form = response.context["adminform"].form
    return {pk for pk in (getattr(c[0], "value", c[0]) for c in form.fields[field].choices) if pk}


def csv_upload(rows: list[dict], name: str = "import.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows: list[dict], name: str = "import.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(
        name,
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


CSV_FORMAT, XLSX_FORMAT = "0", "1"


def admin_import(client: Client, model: str, upload, fmt: str = CSV_FORMAT, confirm: bool = True):
    """Upload for the dry run; when the preview has no errors and ``confirm``, confirm it.

    Returns (preview response, confirm response or None).
    """
    url = reverse(f"admin:{model.replace('.', '_')}_import")
    preview = client.post(url, {"format": fmt, "import_file": upload})
    assert preview.status_code == 200, preview.status_code
    confirm_form = preview.context.get("confirm_form")
    if not confirm or confirm_form is None:
        return preview, None
    data = {k: v for k, v in confirm_form.initial.items() if v is not None}
    done = client.post(reverse(f"admin:{model.replace('.', '_')}_process_import"), data)
    return preview, done


def build_admin_world():
    """``build_world()`` with the staff roles granted through the service (admin access)."""
    from people.models import Role
    from people.services import membership_grant
    from tests.factories import build_world

    world = build_world()
    for side in (world.a, world.b):
        membership_grant(user=side.staff, organisation=side.provider, role=Role.STAFF)
        side.staff.refresh_from_db()
    return world


def export_form_data(client: Client, model: str, fmt: str = CSV_FORMAT) -> tuple[str, dict]:
    """URL and POST data of the export form with every field selected (its defaults)."""
    url = reverse(f"admin:{model.replace('.', '_')}_export")
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    data.update({"format": fmt, "resource": "0"})
    return url, {k: ("on" if v is True else v) for k, v in data.items()}


def admin_export(client: Client, model: str, fmt: str = CSV_FORMAT):
    url, data = export_form_data(client, model, fmt)
    return client.post(url, data)
