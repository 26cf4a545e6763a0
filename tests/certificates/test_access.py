"""Certificate pages, downloads and API: staff of the provider (and the learner) only."""

import pytest

from certificates.models import Document
from certificates.services import certificate_issue
from people.models import User
from tests.certificates.helpers import fill_register, running_course, weeks_later
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(world):
    a = world.a
    course = running_course(a.provider, location=a.location)
    enrolments = [EnrolmentFactory(course=course, learner=learner) for learner in a.learners]
    for e in enrolments:
        fill_register(e, until=weeks_later(1))
    doc = certificate_issue(
        kind="participation",
        learner=a.learners[0],
        course=course,
        by=a.staff,
        until=weeks_later(1),
    )
    return a, course, doc


def test_staff_download_the_pdf(client, setup):
    a, _course, doc = setup
    client.force_login(a.staff)
    r = client.get(f"/certificates/documents/{doc.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content == bytes(doc.pdf)
    assert r["Cache-Control"] == "private, no-store"


def test_the_learner_downloads_their_own_document(client, setup):
    a, _course, doc = setup
    learner = a.learners[0]
    learner.user = User.objects.create_user("amina", password="x-pass-123!")
    learner.save()
    client.force_login(learner.user)
    assert client.get(f"/certificates/documents/{doc.pk}/pdf/").status_code == 200
    other = User.objects.create_user("other", password="x-pass-123!")
    a.learners[1].user = other
    a.learners[1].save()
    client.force_login(other)
    assert client.get(f"/certificates/documents/{doc.pk}/pdf/").status_code == 404


def test_outsiders_get_404_everywhere(client, setup, world):
    a, course, doc = setup
    for user in (world.b.staff, a.teacher, world.caseworker):
        client.force_login(user)
        for url in (
            f"/certificates/documents/{doc.pk}/",
            f"/certificates/documents/{doc.pk}/pdf/",
            f"/certificates/courses/{course.pk}/",
        ):
            assert client.get(url).status_code == 404, (user, url)
        r = client.post(f"/certificates/courses/{course.pk}/issue/", {"learner": a.learners[1].pk})
        assert r.status_code == 404
    assert client.get("/certificates/documents/999999/pdf/").status_code == 404
    assert Document.objects.count() == 1


def test_anonymous_is_sent_to_login(client, setup):
    _, _, doc = setup
    r = client.get(f"/certificates/documents/{doc.pk}/pdf/")
    assert r.status_code == 302 and "/login/" in r.url


def test_course_page_issues_one_certificate(client, setup):
    a, course, _doc = setup
    client.force_login(a.staff)
    html = client.get(f"/certificates/courses/{course.pk}/").content.decode()
    for learner in a.learners:
        assert learner.last_name in html
    module = course.course_type.modules.get(order=1)
    r = client.post(
        f"/certificates/courses/{course.pk}/issue/",
        {"learner": a.learners[1].pk, "module": module.pk, "language": "en"},
    )
    new = Document.objects.get(learner=a.learners[1])
    assert r.status_code == 302 and r.url == f"/certificates/documents/{new.pk}/"
    assert new.module == module and new.language == "en" and new.issued_by == a.staff
    html = client.get(r.url).content.decode()
    assert new.code in html
    assert "/certificates/" in client.get("/certificates/").content.decode()


def test_document_list_api_is_scoped_and_pinned(
    api_client, setup, world, django_assert_num_queries
):
    a, course, doc = setup
    api_client.force_authenticate(a.staff)
    with django_assert_num_queries(3):  # memberships, count, page
        r = api_client.get(f"/api/v1/certificates/documents/?course={course.pk}")
    assert r.status_code == 200
    assert [d["code"] for d in r.json()["results"]] == [doc.code]
    assert "pdf" not in r.json()["results"][0]
    api_client.force_authenticate(world.b.staff)
    assert api_client.get("/api/v1/certificates/documents/").json()["count"] == 0


def test_api_issue_and_revoke_with_outsider_checks(api_client, setup, world):
    a, course, doc = setup
    api_client.force_authenticate(world.b.staff)
    payload = {"kind": "participation", "learner": a.learners[2].pk, "course": course.pk}
    assert api_client.post("/api/v1/certificates/documents/", payload).status_code == 404
    r = api_client.post(f"/api/v1/certificates/documents/{doc.pk}/revoke/", {"reason": "x"})
    assert r.status_code == 404
    api_client.force_authenticate(a.staff)
    r = api_client.post("/api/v1/certificates/documents/", payload)
    assert r.status_code == 201 and r.json()["version"] == 1
    r = api_client.post(f"/api/v1/certificates/documents/{doc.pk}/revoke/", {"reason": "Typo"})
    assert r.status_code == 200 and r.json()["revoked"] is True
    r = api_client.post(f"/api/v1/certificates/documents/{doc.pk}/revoke/", {"reason": "Typo"})
    assert r.status_code == 409 and r.json()["code"] == "already_revoked"
