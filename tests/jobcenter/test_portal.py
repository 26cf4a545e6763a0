import pytest
from django.urls import reverse

from jobcenter import documents
from jobcenter.models import AccessLogEntry, AccessLogRecord
from jobcenter.services import consent_revoke

URL = "/jobcenter/"


def lookup(client, learner, number):
    return client.post(
        URL, {"customer_number": number, "date_of_birth": learner.date_of_birth.isoformat()}
    )


def test_portal_url_name_and_login_required(jc, client):
    assert reverse("jobcenter-portal") == URL
    r = client.get(URL)
    assert r.status_code == 302 and "/login/" in r["Location"]


@pytest.mark.parametrize("who", ["staff", "teacher"])
def test_non_caseworkers_are_refused(jc, client, who):
    client.force_login(getattr(jc.world.a, who))
    assert client.get(URL).status_code == 403


def test_caseworker_sees_own_client(jc, client):
    client.force_login(jc.world.caseworker)
    assert client.get(URL).status_code == 200
    r = lookup(client, jc.ana, "JC-1001")
    assert r.status_code == 200
    assert r.context["result"]["found"] is True
    html = r.content.decode()
    assert jc.course.course_type.name in html
    assert "Bäckerei Ruge" in html
    entry = AccessLogEntry.objects.filter(channel="portal", method="POST").get()
    assert AccessLogEntry.objects.filter(channel="portal", method="GET").count() == 1
    assert entry.user == jc.world.caseworker and entry.jobcenter == jc.world.jobcenter
    assert AccessLogRecord.objects.get(entry=entry).learner == jc.ana


def test_other_jobcenters_caseworker_sees_nothing(jc, client):
    client.force_login(jc.world.other_caseworker)
    r = lookup(client, jc.ana, "JC-1001")
    assert r.context["result"]["found"] is False
    assert "Bäckerei Ruge" not in r.content.decode()


def test_revoked_consent_hides_client_in_portal(jc, client):
    client.force_login(jc.world.caseworker)
    consent_revoke(link=jc.ana_link, by=None)
    assert lookup(client, jc.ana, "JC-1001").context["result"]["found"] is False


def test_wrong_birthday_is_not_found(jc, client):
    client.force_login(jc.world.caseworker)
    r = client.post(URL, {"customer_number": "JC-1001", "date_of_birth": "1900-01-01"})
    assert r.context["result"]["found"] is False


def test_document_download_needs_a_valid_link(jc, client, monkeypatch):
    monkeypatch.setitem(
        documents.CANDIDATES, "registration", ("enrolments", ["tests.jobcenter.fake_pdf:build"])
    )
    url = reverse("jobcenter-enrolment-document", args=[jc.ana_enrolment.pk, "registration"])
    client.force_login(jc.world.caseworker)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    assert AccessLogRecord.objects.get(learner=jc.ana).fields == ["pdf.registration"]
    client.force_login(jc.world.other_caseworker)
    assert client.get(url).status_code == 404
    client.force_login(jc.world.caseworker)
    consent_revoke(link=jc.ana_link, by=None)
    assert client.get(url).status_code == 404


def test_unknown_document_kind_is_404(jc, client):
    client.force_login(jc.world.caseworker)
    url = reverse("jobcenter-enrolment-document", args=[jc.ana_enrolment.pk, "nonsense"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("kind", ["registration", "participation"])
def test_real_documents_download_for_a_linked_client(jc, client, kind):
    """Both builders exist in this tree: a renamed builder fails here instead of vanishing."""
    assert kind in documents.available()
    client.force_login(jc.world.caseworker)
    html = lookup(client, jc.ana, "JC-1001").content.decode()
    url = reverse("jobcenter-enrolment-document", args=[jc.ana_enrolment.pk, kind])
    assert url in html
    r = client.get(url)
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    client.force_login(jc.world.other_caseworker)
    assert client.get(url).status_code == 404


def test_portal_shows_the_status_in_words(jc, client):
    """Not the raw value "enrolled" (issue 14)."""
    from django.utils import translation

    client.force_login(jc.world.caseworker)
    with translation.override("de"):
        r = lookup(client, jc.ana, "JC-1001")
    statuses = {e["status"] for e in r.context["result"]["enrolments"]}
    assert statuses
    cells = r.content.decode().split("<tbody>", 1)[1].split("</tbody>")[0]
    for raw in statuses:
        assert f"<td>{raw}</td>" not in cells
    assert "<td>Angemeldet</td>" in cells
