import codecs
import datetime as dt
import io

import pytest
from django.utils import timezone, translation
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
    "Amina;Haddad;02.04.1990;0151 23456789;;ar;;;",
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
    message = summary["problems"][0]["messages"][0]
    assert message.startswith("Geburtsdatum:") and "gibt es im Kalender nicht" in message


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
    assert "31.02.1990" in rows[2] and "does not exist in the calendar" in rows[2]
    assert "Last name: missing" in rows[3] and "E-mail" in rows[3] and "xx" in rows[3]
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
    ws.append(["Samir", "Nasser", "12.12.1992", "0170 1234567", str(world.a.course.pk), 1])
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


# --- issue 14: files as offices write them, known learners, a preview of every row ---------------


def _known(world, **kwargs):
    from tests.factories import LearnerFactory

    defaults = {
        "provider": world.a.provider,
        "first_name": "Jürgen",
        "last_name": "Müller",
        "date_of_birth": dt.date(1990, 12, 31),
        "phone": "",
        "town": "Kiel",
        "preferred_language": "de",
    }
    return LearnerFactory(**{**defaults, **kwargs})


def _preview(world, content: bytes, name: str = "tn.csv"):
    return services.learner_import_preview(
        provider=world.a.provider, by=world.a.staff, file_name=name, content=content
    )


def test_windows_1252_semicolon_file_with_german_date_updates_a_known_learner(world):
    learner = _known(world)
    content = (
        "Vorname;Nachname;Geburtsdatum;Telefon;Straße;Ort\r\n"
        "Jürgen;Müller;31.12.1990;0151 23456789;Königstraße 5;Lübeck\r\n"
        "Zoë;Weiß;01.02.1985;;;Plön\r\n"
    ).encode("cp1252")
    with translation.override("de"):
        batch, summary = _preview(world, content)
    assert summary["encoding"] == "Windows-1252" and summary["delimiter"] == ";"
    assert (summary["new"], summary["update"], summary["invalid"]) == (1, 1, 0), summary
    changed = next(r for r in summary["rows"] if r["kind"] == "changed")
    assert changed["learner"] == learner.pk and changed["name"] == "Müller, Jürgen"
    assert {c["label"]: (c["old"], c["new"]) for c in changed["changes"]} == {
        "Telefon": ("", "+49 1512 3456789"),
        "Straße": ("", "Königstraße 5"),
        "Ort": ("Kiel", "Lübeck"),
    }
    learner.refresh_from_db()
    assert learner.town == "Kiel"  # the preview wrote nothing
    done = services.learner_import_run(batch=batch, by=world.a.staff)  # no false "changed" alarm
    assert (done["new"], done["update"]) == (1, 1)
    learner.refresh_from_db()
    assert (learner.town, learner.street, learner.phone) == (
        "Lübeck",
        "Königstraße 5",
        "+49 1512 3456789",
    )
    assert Learner.objects.get(last_name="Weiß").town == "Plön"
    from auditlog.models import LogEntry

    entry = LogEntry.objects.get_for_object(learner).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes["town"] == ["Kiel", "Lübeck"] and entry.actor == world.a.staff
    # the same file again: both rows unchanged, nothing written
    stamp = learner.updated_at
    again, summary = _preview(world, content)
    assert (summary["new"], summary["update"], summary["unchanged"]) == (0, 0, 2)
    services.learner_import_run(batch=again, by=world.a.staff)
    learner.refresh_from_db()
    assert learner.updated_at == stamp


def test_preview_lists_every_row_with_its_kind_changes_and_errors(world, client):
    from django.urls import reverse

    _known(world)
    content = (
        "first_name,last_name,date_of_birth,town\n"
        "Jürgen,Müller,31.12.1990,Kiel\n"
        "Jürgen,Müller,31.12.1990,Kiel\n"
        "Neu,Person,1980-05-05,Heide\n"
        "Kaputt,,99.99.1990,\n"
    ).encode()
    with translation.override("en"):
        batch, summary = _preview(world, codecs.BOM_UTF8 + content)
    assert summary["encoding"] == "UTF-8" and summary["delimiter"] == ","
    kinds = {r["row"]: r["kind"] for r in summary["rows"]}
    assert kinds == {2: "unchanged", 3: "invalid", 4: "new", 5: "invalid"}
    errors = {r["row"]: r["errors"] for r in summary["rows"]}
    assert errors[3] == ["The same person is already in row 2."]
    assert "Last name: missing." in errors[5]
    assert any(e.startswith("Date of birth:") and "99.99.1990" in e for e in errors[5])
    client.force_login(world.a.staff)
    with translation.override("de"):
        page = client.get(reverse("enrolment-import-batch", args=[batch.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Person, Neu" in text and "Müller, Jürgen" in text and "99.99.1990" in text
    assert not Learner.objects.filter(last_name="Person").exists()


def test_utf8_without_bom_comma_and_iso_dates(world):
    content = "first_name,last_name,date_of_birth\nOlha,Šev,1991-03-04\n".encode()
    _, summary = _preview(world, content)
    assert summary["new"] == 1 and summary["encoding"] == "UTF-8"


def test_unreadable_file_and_missing_columns_say_what_to_change(world):
    with translation.override("de"), pytest.raises(DomainError) as err:
        _preview(world, b"Vorname;Nachname;Geburtsdatum\n\x81\x8d;x;01.01.1990\n")
    assert err.value.code == "import_encoding" and "CSV UTF-8" in err.value.message
    with translation.override("de"), pytest.raises(DomainError) as err:
        _preview(world, b"Vorname,Name\nA,B\n")
    assert err.value.code == "import_columns"
    assert "Geburtsdatum" in err.value.message and "Vorname, Name" in err.value.message


def test_impossible_date_is_not_a_format_error(world):
    content = csv("Amina;Haddad;1990-02-31;;;ar;;;", "Bad;Format;31.2.90x;;;ar;;;")
    with translation.override("en"):
        _, summary = _preview(world, content)
    rows = {p["row"]: p["messages"][0] for p in summary["problems"]}
    assert rows[2].startswith("Date of birth:") and "does not exist in the calendar" in rows[2]
    assert "is not a date" in rows[3] and "DD.MM.YYYY" in rows[3]


def test_every_iso_639_1_language_is_accepted(world):
    from core.languages import ISO_639_1

    assert len(ISO_639_1) >= 183 and {"pl", "ti", "ps", "ku", "so"} <= set(ISO_639_1)
    content = csv(
        "Anna;Nowak;01.01.1980;;;pl;;;",
        "Yonas;Tesfay;01.01.1981;;;ti;;;",
        "Olena;Bondar;01.01.1982;;;Ukrainisch;;;",
        "No;Language;01.01.1983;;;xx;;;",
    )
    batch, summary = _preview(world, content)
    assert summary["new"] == 3 and [p["row"] for p in summary["problems"]] == [5]
    services.learner_import_run(batch=batch, by=None, only_valid=True)
    nowak = Learner.objects.get(last_name="Nowak")
    assert (nowak.native_language, nowak.preferred_language) == ("Polnisch", "de")
    assert Learner.objects.get(last_name="Bondar").preferred_language == "uk"


def test_the_import_page_is_in_the_staff_menu(world):
    from django.urls import reverse

    from core.navigation import nav_links

    url = reverse("enrolment-import")
    assert url in {link.url for link in nav_links(world.a.staff)}
    assert url not in {link.url for link in nav_links(world.a.teacher)}


def test_a_learner_changed_after_the_preview_stops_the_import(world):
    learner = _known(world)
    content = "Vorname;Nachname;Geburtsdatum;Ort\nJürgen;Müller;31.12.1990;Lübeck\n".encode()
    batch, _ = _preview(world, content)
    Learner.objects.filter(pk=learner.pk).update(town="Husum")
    with pytest.raises(DomainError) as err:
        services.learner_import_run(batch=batch, by=None)
    assert err.value.code == "import_stale" and "2" in err.value.message
    learner.refresh_from_db()
    assert learner.town == "Husum"
    batch.refresh_from_db()
    assert batch.imported_at is None  # can be previewed again


def test_preview_takes_no_lock_and_the_import_writes_in_short_batches(world, monkeypatch):
    from django.db.models import QuerySet

    from enrolment.services import imports

    rows = [f"P{i};Person{i};01.01.19{60 + i};;;de;;;" for i in range(5)]

    def no_lock(*args, **kwargs):
        raise AssertionError("the preview locked rows")

    with monkeypatch.context() as m:
        m.setattr(QuerySet, "select_for_update", no_lock)
        batch, summary = _preview(world, csv(*rows))
    assert summary["new"] == 5
    calls = []
    write = imports._write
    monkeypatch.setattr(imports, "IMPORT_BATCH_SIZE", 2)
    monkeypatch.setattr(
        imports, "_write", lambda rows, **kw: calls.append(len(rows)) or write(rows, **kw)
    )
    services.learner_import_run(batch=batch, by=None)
    assert calls == [2, 2, 1]
    assert Learner.objects.filter(last_name__startswith="Person").count() == 5


def test_a_restricted_learner_is_not_created_again(world):
    learner = _known(world)
    Learner.all_objects.filter(pk=learner.pk).update(restricted_at=timezone.now())
    content = "Vorname;Nachname;Geburtsdatum\nJürgen;Müller;31.12.1990\n".encode()
    _, summary = _preview(world, content)
    assert summary["invalid"] == 1 and summary["new"] == 0


def test_excel_separator_hint_line(world):
    content = "sep=;\r\nVorname;Nachname;Geburtsdatum\r\nAnna;Nowak;1.2.1980\r\n".encode("cp1252")
    _, summary = _preview(world, content)
    assert summary["new"] == 1 and summary["delimiter"] == ";"


def test_a_learner_changed_during_the_import_stops_it_at_that_batch(world, monkeypatch):
    from enrolment.services import imports

    first = _known(world)
    second = _known(world, first_name="Olha", last_name="Šev", date_of_birth=dt.date(1991, 3, 4))
    content = (
        "Vorname;Nachname;Geburtsdatum;Ort\nJürgen;Müller;31.12.1990;Lübeck\nOlha;Šev;04.03.1991;Heide\n"
    ).encode()
    batch, _ = _preview(world, content)
    write = imports._write
    calls = []

    def meddling(rows, **kw):
        calls.append(1)
        if len(calls) == 2:
            Learner.objects.filter(pk=second.pk).update(town="Husum")
        return write(rows, **kw)

    monkeypatch.setattr(imports, "IMPORT_BATCH_SIZE", 1)
    monkeypatch.setattr(imports, "_write", meddling)
    with pytest.raises(DomainError) as err:
        services.learner_import_run(batch=batch, by=None)
    assert err.value.code == "import_stale" and "3" in err.value.message
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.town, second.town) == ("Lübeck", "Husum")
    batch.refresh_from_db()
    assert batch.imported_at is None


def test_preview_in_german_import_in_english_is_no_false_alarm(world):
    _known(world, gender="x")
    content = "Vorname;Nachname;Geburtsdatum;Geschlecht;Sprache\nJürgen;Müller;31.12.1990;w;uk\n"
    with translation.override("de"):
        batch, summary = _preview(world, content.encode())
    assert summary["update"] == 1
    with translation.override("en"):
        done = services.learner_import_run(batch=batch, by=None)
    assert done["update"] == 1
