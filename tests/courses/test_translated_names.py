"""Course type and module names in the learner's language, German where none was entered; the
original column keeps German for reports and exports."""

from __future__ import annotations

import pytest
from django.utils import translation

from courses.models import CourseType, Module

pytestmark = pytest.mark.django_db


def general() -> CourseType:
    return CourseType.objects.filter(code="general").order_by("valid_from").first()


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "Allgemeiner Integrationskurs"),
        ("en", "Allgemeiner Integrationskurs"),  # staff in English read BAMF's German term
        ("fa", "دوره عمومی ادغام"),
        ("uk", "Загальний інтеграційний курс"),
    ],
)
def test_a_seeded_course_type_reads_in_each_language(language, expected):
    course_type = general()
    with translation.override(language):
        assert course_type.name == expected


def test_modules_are_numbered_in_each_language():
    module = Module.objects.filter(course_type=general(), order=3).get()
    with translation.override("ar"):
        assert module.name == "الجزء 3"
    with translation.override("de"):
        assert module.name == "Kursabschnitt 3"


def test_a_name_without_translation_falls_back_to_german():
    course_type = general()
    course_type.name_tr = None
    course_type.save()
    with translation.override("tr"):
        assert CourseType.objects.get(pk=course_type.pk).name == "Allgemeiner Integrationskurs"


def test_a_name_given_without_language_is_the_german_one():
    with translation.override("fa"):
        course_type = CourseType.objects.create(
            programme=general().programme,
            code="test",
            name="Testkurs",
            valid_from="2030-01-01",
            target_level="B1",
        )
    assert CourseType.objects.filter(pk=course_type.pk).values_list("name_de", flat=True).get() == (
        "Testkurs"
    )


def test_a_translated_name_is_not_marked_german_and_a_fallback_is():
    from django.template import Context, Template

    template = Template('{% load staff_text %}{{ course_type|localized:"name" }}')
    course_type = general()
    with translation.override("fa"):
        assert (
            template.render(Context({"course_type": course_type})) == "<bdi>دوره عمومی ادغام</bdi>"
        )
    course_type.name_fa = None
    with translation.override("fa"):
        assert template.render(Context({"course_type": course_type})) == (
            '<bdi lang="de">Allgemeiner Integrationskurs</bdi>'
        )
    with translation.override("de"):
        assert template.render(Context({"course_type": course_type})) == (
            "Allgemeiner Integrationskurs"
        )


def test_a_course_description_reads_in_the_learners_language(client, db):
    from tests.factories import build_world

    world = build_world()
    course = world.a.course
    course.description_de = "Vormittagskurs mit Kinderbetreuung."
    course.description_fa = "دوره صبح با مراقبت از کودک."
    course.is_published = True
    course.save()
    html = client.get(f"/courses/{course.pk}/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert '<p lang="fa" dir="auto">دوره صبح با مراقبت از کودک.</p>' in html
    html = client.get(f"/courses/{course.pk}/", HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert '<p lang="de" dir="auto">Vormittagskurs mit Kinderbetreuung.</p>' in html
    html = client.get(f"/courses/{course.pk}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<p lang="de" dir="auto">Vormittagskurs mit Kinderbetreuung.</p>' in html


def test_staff_add_a_translated_description_through_the_course_service(db):
    from courses.services import course_update
    from tests.factories import build_world

    world = build_world()
    course = course_update(course=world.a.course, by=world.a.staff, description_ar="دورة صباحية.")
    course.refresh_from_db()
    with translation.override("ar"):
        assert course.description == "دورة صباحية."
