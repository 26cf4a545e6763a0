"""A whole course as one printable PDF, issued in the background with visible progress."""

import pytest

from certificates.models import CertificateBatch, Document
from certificates.services import CertificateError, certificate_batch_start
from tests.certificates.helpers import (
    fill_register,
    learners,
    pdf_pages,
    pdf_text,
    running_course,
    weeks_later,
)
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    a = world.a
    course = running_course(a.provider, location=a.location)
    for learner in learners(a.provider, 6):  # two chunks of the batch (5 + 1)
        fill_register(EnrolmentFactory(course=course, learner=learner), until=weeks_later(2))
    return course


def test_batch_page_issues_every_learner_and_joins_one_pdf(
    client, course, world, django_capture_on_commit_callbacks
):
    client.force_login(world.a.staff)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/certificates/courses/{course.pk}/batch/", {"language": "en"})
    batch = CertificateBatch.objects.get(course=course)
    assert r.status_code == 302 and r.url == f"/certificates/batches/{batch.pk}/"
    assert batch.status == "done" and batch.done == batch.total == 6
    documents = Document.objects.filter(batch=batch)
    assert documents.count() == 6
    assert len({d.code for d in documents}) == 6
    r = client.get(f"/certificates/batches/{batch.pk}/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    joined = b"".join(r.streaming_content) if r.streaming else r.content
    text = pdf_text(joined)
    for d in documents.select_related("learner"):
        assert d.learner.last_name in text
        assert d.code in text.replace("\n", "")
        assert pdf_pages(d.pdf) >= 1
    assert pdf_pages(joined) == sum(pdf_pages(d.pdf) for d in documents)
    assert "Certificate of participation" in text


def test_progress_page_polls_with_static_script_and_status_json(
    client, course, world, django_capture_on_commit_callbacks
):
    client.force_login(world.a.staff)
    batch = certificate_batch_start(course=course, by=world.a.staff)  # not run: on_commit unused
    r = client.get(f"/certificates/batches/{batch.pk}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "js/certificates-batch.js" in html
    assert "<script>" not in html
    assert f'data-status-url="/certificates/batches/{batch.pk}/status/"' in html
    state = client.get(f"/certificates/batches/{batch.pk}/status/").json()
    assert state == {
        "status": "pending",
        "status_label": "Wartet",
        "done": 0,
        "total": 6,
        "percent": 0,
        "pdf_url": None,
    }
    from certificates.tasks import certificate_batch_task

    certificate_batch_task.call(batch_id=batch.pk)
    state = client.get(f"/certificates/batches/{batch.pk}/status/").json()
    assert state["status"] == "done" and state["percent"] == 100
    assert state["pdf_url"] == f"/certificates/batches/{batch.pk}/pdf/"


def test_outsiders_get_404_on_batch_pages(client, course, world):
    batch = certificate_batch_start(course=course, by=world.a.staff)
    for user in (world.b.staff, world.a.teacher):
        client.force_login(user)
        for url in (
            f"/certificates/batches/{batch.pk}/",
            f"/certificates/batches/{batch.pk}/status/",
            f"/certificates/batches/{batch.pk}/pdf/",
        ):
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"/certificates/courses/{course.pk}/batch/").status_code == 404


def test_empty_course_cannot_start_a_batch(world):
    with pytest.raises(CertificateError) as err:
        certificate_batch_start(course=world.b.course, by=world.b.staff)
    assert err.value.code == "batch_empty"
