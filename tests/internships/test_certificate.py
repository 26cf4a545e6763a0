"""The internship certificate: employer, learner, period, weekly hours, days absent, tasks, supervisor."""

import datetime as dt

import pytest

from certificates.models import Document
from certificates.services import CertificateError, certificate_issue
from internships.services import (
    placement_agree,
    placement_complete,
    placement_start,
    placement_week_confirm,
)
from tests.certificates.helpers import pdf_text
from tests.factories import EmployerFactory, UserFactory
from tests.internships.helpers import propose

pytestmark = pytest.mark.django_db
START = dt.date(2026, 3, 2)


@pytest.fixture
def placement(world):
    a = world.a
    emp = EmployerFactory(
        provider=a.provider, name="Pflegeheim Sonnenhof", street="Lindenstraße 4", postcode="25421"
    )
    placement = propose(
        a.learners[2],
        emp,
        start=START,
        weekdays=[0, 1, 2, 3],
        daily_hours=7.5,
        supervisor_name="Frau Kaya",
        tasks="Hilfe bei der Essensausgabe",
    )
    placement_agree(placement=placement, by=a.staff)
    placement_start(placement=placement, by=a.staff)
    placement_week_confirm(
        placement=placement,
        monday=START,
        days={
            dt.date(2026, 3, 2): {"present": True, "hours": 7.5},
            dt.date(2026, 3, 3): {"present": False},
            dt.date(2026, 3, 4): {"present": False},
        },
        confirmed_by_name="Frau Kaya",
    )
    return placement


def test_internship_certificate_pdf_lists_the_facts(placement, world):
    placement_complete(placement=placement, by=world.a.staff, outcome="none")
    doc = certificate_issue(
        kind="internship", learner=placement.learner, placement=placement, by=world.a.staff
    )
    text = pdf_text(doc.pdf)
    learner = placement.learner
    assert "Praktikumsbescheinigung" in text
    assert f"{learner.first_name} {learner.last_name}" in text
    assert "Pflegeheim Sonnenhof" in text and "Lindenstraße 4" in text
    assert "02.03.2026 – 13.03.2026" in text
    assert "Wochenstunden 30" in text
    assert "Montag, Dienstag, Mittwoch, Donnerstag" in text
    assert "Fehltage 2" in text
    assert "Hilfe bei der Essensausgabe" in text
    assert "Frau Kaya" in text
    assert "Orientierungspraktikum" in text
    assert doc.facts["course_type"] == "Orientierungspraktikum"
    assert doc.placement_id == placement.pk and doc.course_id is None


def test_no_certificate_before_the_internship_runs(world):
    a = world.a
    placement = propose(a.learners[0], EmployerFactory(provider=a.provider), start=START)
    with pytest.raises(CertificateError) as err:
        certificate_issue(
            kind="internship", learner=placement.learner, placement=placement, by=a.staff
        )
    assert err.value.code == "placement_not_started"
    with pytest.raises(CertificateError):
        certificate_issue(kind="internship", learner=a.learners[1], placement=placement, by=None)


def test_certificate_button_issues_and_shows_the_document(client, placement, world):
    client.force_login(world.a.staff)
    r = client.post(f"/certificates/placements/{placement.pk}/issue/", {"language": "ar"})
    doc = Document.objects.get(placement=placement)
    assert r.status_code == 302 and r.url == f"/certificates/documents/{doc.pk}/"
    assert doc.language == "ar"
    assert client.get(r.url).status_code == 200


@pytest.mark.parametrize("who", ["other_staff", "teacher", "learner_user", "caseworker"])
def test_certificate_of_a_placement_is_404_for_outsiders(client, placement, world, who):
    users = {
        "other_staff": world.b.staff,
        "teacher": world.a.teacher,
        "learner_user": UserFactory(),
        "caseworker": world.caseworker,
    }
    client.force_login(users[who])
    r = client.post(f"/certificates/placements/{placement.pk}/issue/", {"language": "de"})
    assert r.status_code == 404
    assert not Document.objects.filter(placement=placement).exists()
