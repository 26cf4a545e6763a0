import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from core.errors import DomainError
from enrolment import services
from enrolment.models import Enrolment
from people.models import Learner

HEADER = (
    "first_name;last_name;date_of_birth;phone;email;preferred_language;bamf_number;course;module\n"
)


def csv(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode()


GOOD = csv(
    "Amina;Haddad;02.04.1990;0151 1;;ar;;;",
    "Olena;Kovalenko;1985-11-30;;olena@example.org;uk;ABC123;;",
)


def test_preview_writes_nothing_and_import_is_idempotent(world):
    before = Learner.objects.count()
    batch, summary = services.learner_import_preview(
        provider=world.a.provider, by=world.a.staff, file_name="tn.csv", content=GOOD
    )
    assert summary["new"] == 2 and summary["problems"] == []
    assert Learner.objects.count() == before
    done = services.learner_import_run(batch=batch, by=world.a.staff)
    assert done["new"] == 2
    assert Learner.objects.filter(provider=world.a.provider, last_name="Haddad").count() == 1
    again, summary2 = services.learner_import_preview(
        provider=world.a.provider, by=world.a.staff, file_name="tn.csv", content=GOOD
    )
    assert summary2["new"] == 0 and summary2["unchanged"] == 2
    services.learner_import_run(batch=again, by=world.a.staff)
    assert Learner.objects.count() == before + 2


def test_bamf_number_matches_even_with_changed_name(world):
    batch, _ = services.learner_import_preview(
        provider=world.a.provider, by=None, file_name="a.csv", content=GOOD
    )
    services.learner_import_run(batch=batch, by=None)
    renamed = csv("Olena;Kowalenko;30.11.1985;;;uk;abc123;;")
    batch, summary = services.learner_import_preview(
        provider=world.a.provider, by=None, file_name="b.csv", content=renamed
    )
    assert summary["update"] == 1 and summary["new"] == 0, summary


def test_invalid_rows_explained_and_block_import(world):
    with translation.override("en"):
        _invalid_rows(world)


def test_row_errors_in_german(world):
    content = csv("Amina;Haddad;31.02.1990;;;ar;;;")
    _, summary = services.learner_import_preview(
        provider=world.a.provider, by=None, file_name="x.csv", content=content
    )
    assert "ist kein Datum" in summary["problems"][0]["messages"][0]


def _invalid_rows(world):
    bad = csv(
        "Amina;Haddad;31.02.1990;;;ar;;;",
        "Olena;;1985-11-30;;not-an-email;xx;;;",
        "Good;Person;01.01.1980;;;de;;;",
        "Good;Person;01.01.1980;;;de;;;",
        "Kurs;Los;01.01.1981;;;de;;NOPE;",
    )
    batch, summary = services.learner_import_preview(
        provider=world.a.provider, by=None, file_name="bad.csv", content=bad
    )
    rows = {p["row"]: " ".join(p["messages"]) for p in summary["problems"]}
    assert set(rows) == {2, 3, 5, 6}
    assert "31.02.1990" in rows[2] and "DD.MM.YYYY" in rows[2]
    assert "last name" in rows[3] and "e-mail" in rows[3] and "xx" in rows[3]
    assert "row 4" in rows[5]
    assert "NOPE" in rows[6]
    with pytest.raises(DomainError) as exc:
        services.learner_import_run(batch=batch, by=None)
    assert exc.value.code == "import_invalid"
    assert not Learner.objects.filter(last_name="Person").exists()
    done = services.learner_import_run(batch=batch, by=None, only_valid=True)
    assert done["new"] == 1 and done["skipped_rows"] == [2, 3, 5, 6]
    assert Learner.objects.filter(last_name="Person").count() == 1


def test_xlsx_with_enrolment(world):
    wb = Workbook()
    ws = wb.active
    ws.append(["First name", "Last name", "Date of birth", "Phone", "Course", "Module"])
    ws.append(["Samir", "Nasser", "12.12.1992", "0170", str(world.a.course.pk), 1])
    buf = io.BytesIO()
    wb.save(buf)
    batch, summary = services.learner_import_preview(
        provider=world.a.provider, by=world.a.staff, file_name="tn.xlsx", content=buf.getvalue()
    )
    assert summary["problems"] == [] and summary["new"] == 1
    services.learner_import_run(batch=batch, by=world.a.staff)
    e = Enrolment.objects.get(learner__last_name="Nasser")
    assert e.course == world.a.course and e.status == "enrolled"
    # again: no second learner, no second enrolment
    batch, _ = services.learner_import_preview(
        provider=world.a.provider, by=world.a.staff, file_name="tn.xlsx", content=buf.getvalue()
    )
    services.learner_import_run(batch=batch, by=world.a.staff)
    assert Enrolment.objects.filter(learner__last_name="Nasser").count() == 1


def test_foreign_course_is_a_row_error(world):
    content = csv(f"A;B;01.01.1990;1;;de;;{world.b.course.pk};")
    _, summary = services.learner_import_preview(
        provider=world.a.provider, by=None, file_name="x.csv", content=content
    )
    assert summary["problems"][0]["row"] == 2


def test_import_pages_and_outsiders(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(world.a.staff)
    r = client.post(
        reverse("enrolment-import"), {"file": SimpleUploadedFile("tn.csv", GOOD, "text/csv")}
    )
    assert r.status_code == 302
    preview = client.get(r.url)
    assert preview.status_code == 200 and preview.context["summary"]["new"] == 2
    client.force_login(world.b.staff)
    assert client.get(r.url).status_code == 404
    assert client.post(r.url).status_code == 404
    client.force_login(world.a.teacher)
    assert client.get(reverse("enrolment-import")).status_code == 404
    client.force_login(world.a.staff)
    client.post(r.url)
    assert Learner.objects.filter(last_name="Haddad", provider=world.a.provider).exists()


def test_a_file_over_the_row_limit_is_refused_before_parsing(world, settings, monkeypatch):
    import tablib

    settings.IMPORT_MAX_ROWS = 100
    parsed = []
    monkeypatch.setattr(tablib.Dataset, "load", lambda *a, **k: parsed.append(1))
    content = b"last_name;first_name;date_of_birth\n" + b"Muster;Max;1990-01-01\n" * 101
    with pytest.raises(DomainError) as err:
        services.learner_import_preview(
            provider=world.a.provider, by=world.a.staff, file_name="big.csv", content=content
        )
    assert (err.value.code, err.value.field) == ("import_too_many_rows", "file")
    assert "100" in err.value.message
    assert parsed == []
