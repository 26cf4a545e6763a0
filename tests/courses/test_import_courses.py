"""Course import/export from the admin: all or nothing, idempotent, only into one's own provider."""

import datetime as dt

import pytest
import tablib
from django.utils import timezone

from courses.models import Course
from courses.resources import CourseResource, format_timetable, parse_timetable
from tests.people.helpers import (
    XLSX_FORMAT,
    admin_export,
    admin_import,
    build_admin_world,
    client_for,
    csv_upload,
    export_form_data,
    xlsx_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_admin_world()


def start(weeks=3) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=7 * weeks - today.weekday())


def rows(world, **changes):
    base = [
        {
            "bamf_course_number": "IK-26-001",
            "course_type": "general",
            "location": world.a.location.name,
            "start_date": start().strftime("%d.%m.%Y"),
            "capacity": "20",
            "timetable": "Mo-Fr 08:30-12:45 5UE",
            "status": "open",
        },
        {
            "bamf_course_number": "ALPHA-26-002",
            "course_type": "literacy",
            "location": world.a.location.name,
            "start_date": start(4).isoformat(),
            "capacity": "",
            "timetable": "Di,Do 18:00-21:15 4UE; Sa 09:00-12:15 4UE",
            "status": "geplant",
        },
        {
            "bamf_course_number": "JOB-26-003",
            "course_type": "job_bsk",
            "location": world.a.location.name,
            "start_date": start(2).isoformat(),
            "capacity": "12",
            "timetable": "Mo,Mi 17:30-20:45 4UE",
            "status": "Offen für Anmeldungen",
        },
    ]
    for index, change in changes.items():
        base[int(index.removeprefix("row"))].update(change)
    return base


IMPORTED = ["IK-26-001", "ALPHA-26-002", "JOB-26-003"]


def test_timetable_format_round_trips():
    slots = parse_timetable("Mo-Mi,Fr 08:30-12:45 5UE; Sa 09:00-12:15 4UE")
    assert [s["weekday"] for s in slots] == [0, 1, 2, 4, 5]
    assert slots[0]["start_time"] == dt.time(8, 30) and slots[-1]["ue"] == 4
    assert format_timetable(slots) == "Mo-Mi,Fr 08:30-12:45 5UE; Sa 09:00-12:15 4UE"
    assert parse_timetable("mon-fri 8.30-12.45 5 ue") == parse_timetable("Mo-Fr 08:30-12:45 5UE")


@pytest.mark.parametrize("text", ["Mo-Fr 12:45-08:30 5UE", "Xy 08:00-10:00 2UE", "Mo 08:00", ""])
def test_bad_timetables_are_explained(text):
    with pytest.raises(ValueError) as error:
        parse_timetable(text)
    assert str(error.value)


def test_good_csv_creates_courses_with_sessions(world):
    client = client_for(world.a.staff)
    preview, done = admin_import(client, "courses.course", csv_upload(rows(world)))
    assert not preview.context["result"].has_validation_errors()
    assert done.status_code == 302
    courses = Course.objects.filter(bamf_course_number__in=IMPORTED)
    assert courses.count() == 3
    for course in courses:
        assert course.provider == world.a.provider
        assert sum(s.ue for s in course.sessions.all()) == course.total_ue
    literacy = courses.get(bamf_course_number="ALPHA-26-002")
    assert (literacy.capacity, literacy.status, literacy.ue_per_week) == (16, "planned", 12)
    assert courses.get(bamf_course_number="JOB-26-003").status == "open"


def test_preview_writes_nothing(world):
    client = client_for(world.a.staff)
    preview, _ = admin_import(client, "courses.course", csv_upload(rows(world)), confirm=False)
    assert preview.context["confirm_form"] is not None
    assert not Course.objects.filter(bamf_course_number__in=IMPORTED).exists()


def test_good_xlsx_creates_courses(world):
    data = rows(world)
    data[0]["start_date"] = start()  # a real date cell
    client = client_for(world.a.staff)
    preview, _ = admin_import(client, "courses.course", xlsx_upload(data), fmt=XLSX_FORMAT)
    assert not preview.context["result"].has_validation_errors()
    assert Course.objects.filter(bamf_course_number__in=IMPORTED).count() == 3


def test_one_bad_row_writes_nothing_and_every_error_is_listed(world):
    data = rows(
        world,
        row1={"capacity": "20", "timetable": "Mo-Fr 8-12"},  # literacy: 16 at most; bad slots
        row2={"location": "Mond", "course_type": "fliegen"},
    )
    client = client_for(world.a.staff)
    preview, done = admin_import(client, "courses.course", csv_upload(data))
    assert done is None and preview.context.get("confirm_form") is None
    result = preview.context["result"]
    invalid = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(invalid) == {2, 3}
    assert "timetable" in invalid[2]
    assert {"location", "course_type"} <= set(invalid[3])
    assert "Mond" in str(invalid[3]["location"])
    text = preview.text
    assert "kein Standort" in text or "keinen Standort" in text  # German by default
    assert not Course.objects.filter(bamf_course_number__in=IMPORTED).exists()


def test_service_rule_errors_are_row_errors(world):
    data = rows(world, row1={"capacity": "20"})  # literacy course above its group size
    client = client_for(world.a.staff)
    preview, _ = admin_import(client, "courses.course", csv_upload(data))
    invalid = {row.number: row.error_dict for row in preview.context["result"].invalid_rows}
    assert list(invalid) == [2]
    assert "16" in str(invalid[2]["capacity"])
    assert not Course.objects.filter(bamf_course_number__in=IMPORTED).exists()


def test_confirm_step_also_rolls_back_on_a_bad_row(world):
    """Even without the preview (another caller, or data changed meanwhile): nothing written."""
    data = rows(world, row2={"location": "Mond"})
    dataset = tablib.Dataset(headers=list(data[0]))
    for row in data:
        dataset.append(list(row.values()))
    result = CourseResource(user=world.a.staff).import_data(dataset, dry_run=False)
    assert result.has_validation_errors()
    assert not Course.objects.filter(bamf_course_number__in=IMPORTED).exists()


def test_reimport_changes_nothing(world):
    client = client_for(world.a.staff)
    admin_import(client, "courses.course", csv_upload(rows(world)))
    sessions = {c.pk: c.sessions.count() for c in Course.objects.all()}
    preview, _ = admin_import(client, "courses.course", csv_upload(rows(world)))
    result = preview.context["result"]
    assert result.totals["skip"] == 3 and result.totals["new"] == 0
    admin_import(client, "courses.course", csv_upload(rows(world)))
    assert Course.objects.filter(bamf_course_number__in=IMPORTED).count() == 3
    assert {c.pk: c.sessions.count() for c in Course.objects.all()} == sessions


def test_reimport_with_a_changed_timetable_updates_through_the_service(world):
    client = client_for(world.a.staff)
    admin_import(client, "courses.course", csv_upload(rows(world)))
    changed = rows(world, row0={"timetable": "Mo-Do 08:30-12:45 5UE", "capacity": "18"})
    admin_import(client, "courses.course", csv_upload(changed))
    course = Course.objects.get(bamf_course_number="IK-26-001")
    assert (course.ue_per_week, course.capacity) == (20, 18)
    assert not course.sessions.filter(date__week_day=6).exists()
    assert Course.objects.filter(bamf_course_number__in=IMPORTED).count() == 3


def test_outsider_cannot_import_into_another_provider(world):
    data = rows(world)
    for row in data:
        row["provider"] = world.a.provider.name
    client = client_for(world.b.staff)
    preview, done = admin_import(client, "courses.course", csv_upload(data))
    assert done is None
    errors = [row.error_dict for row in preview.context["result"].invalid_rows]
    assert len(errors) == 3 and all("provider" in e for e in errors)
    assert not Course.objects.filter(bamf_course_number__in=IMPORTED).exists()


def test_same_course_number_at_another_provider_does_not_touch_the_original(world):
    world.a.course.bamf_course_number = "IK-26-001"
    world.a.course.save()
    data = rows(world)[:1]
    data[0]["location"] = world.b.location.name
    data[0]["capacity"] = "10"
    client = client_for(world.b.staff)
    admin_import(client, "courses.course", csv_upload(data))
    world.a.course.refresh_from_db()
    assert world.a.course.capacity == 25 and world.a.course.provider == world.a.provider
    assert (
        Course.objects.get(provider=world.b.provider, bamf_course_number="IK-26-001").capacity == 10
    )


def test_location_of_another_provider_is_unknown_to_staff(world):
    data = rows(world)[:1]
    data[0]["location"] = world.b.location.name
    preview, _ = admin_import(client_for(world.a.staff), "courses.course", csv_upload(data))
    assert preview.context["result"].has_validation_errors()
    assert not Course.objects.filter(bamf_course_number="IK-26-001").exists()


def test_export_has_only_own_courses_and_reimports_unchanged(world):
    Course.objects.filter(pk=world.a.course.pk).update(bamf_course_number="IK-26-000")
    Course.objects.filter(pk=world.b.course.pk).update(bamf_course_number="B-26-000")
    client = client_for(world.a.staff)
    admin_import(client, "courses.course", csv_upload(rows(world)))
    response = admin_export(client, "courses.course")
    assert response["Content-Type"].startswith("text/csv")
    dataset = tablib.Dataset().load(response.content.decode("utf-8"), format="csv")
    assert set(dataset["bamf_course_number"]) == {"IK-26-000", *IMPORTED}
    assert "Mo-Fr 08:30-12:45 5UE" in dataset["timetable"]
    assert set(dataset["provider"]) == {world.a.provider.name}
    result = CourseResource(user=world.a.staff).import_data(dataset, dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 0 and result.totals["update"] == 0
    assert result.totals["skip"] == 4


def test_export_query_count_does_not_grow_with_courses(world, django_assert_max_num_queries):
    client = client_for(world.a.staff)
    admin_import(client, "courses.course", csv_upload(rows(world)))
    url, data = export_form_data(client, "courses.course", XLSX_FORMAT)
    with django_assert_max_num_queries(12):
        response = client.post(url, data)
    assert "spreadsheetml" in response["Content-Type"]
