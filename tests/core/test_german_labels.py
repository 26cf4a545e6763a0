"""Issue 14: German labels on staff and teacher pages read as German (Anwesenheitsliste, not
"Registrieren"; Unterrichtsform, not "Dateiformat"; the admin titled Lernbrücke-Verwaltung;
the empty choice of a select in German)."""

from django.urls import reverse
from django.utils import translation

from courses.models import Course


def test_empty_choice_of_model_selects_is_german(db):

    with translation.override("de"):
        field = Course._meta.get_field("location")
        labels = [str(label) for _, label in field.get_choices()[:1]]
    assert labels == ["– Bitte auswählen –"]


def test_admin_is_titled_lernbruecke_verwaltung_with_german_sections(client, world):
    from tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True, preferred_language="de")
    client.force_login(admin)
    with translation.override("de"):
        html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Lernbrücke-Verwaltung" in html and "Django-Verwaltung" not in html
    assert "Anwesenheit" in html and "Kurse" in html


def test_teacher_pages_say_anwesenheitsliste_and_course_page_unterrichtsform():
    with translation.override("de"):
        assert translation.gettext("Attendance list") == "Anwesenheitsliste"
        assert translation.gettext("Form of teaching") == "Unterrichtsform"
