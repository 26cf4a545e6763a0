"""The public verify page and API: valid, revoked, unknown, minimal facts, rate limit."""

import pytest

from certificates.services import certificate_issue, certificate_revoke
from tests.certificates.helpers import fill_register, running_course, weeks_later
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(world):
    a = world.a
    course = running_course(a.provider, location=a.location)
    learner = a.learners[0]
    learner.first_name, learner.last_name = "Amina", "Haddad"
    learner.save()
    enrolment = EnrolmentFactory(course=course, learner=learner)
    fill_register(enrolment, until=weeks_later(2))
    return certificate_issue(
        kind="participation", learner=learner, course=course, by=a.staff, until=weeks_later(2)
    )


def test_valid_code_shows_only_initial_surname_type_course_type_dates(client, document):
    r = client.get(f"/verify/{document.code}")
    assert r.status_code == 200
    html = r.content.decode()
    assert "A. Haddad" in html
    assert "Amina" not in html
    assert "Teilnahmebescheinigung" in html
    assert "Allgemeiner Integrationskurs" in html
    assert "05.01.2026" in html and "16.01.2026" in html
    assert "Gültig" in html
    assert document.learner.date_of_birth.strftime("%d.%m.%Y") not in html
    assert "Pinneberg" not in html  # no place, no provider details beyond the facts


def test_revoked_document_shows_revoked(client, document, world):
    certificate_revoke(document=document, by=world.a.staff, reason="Wrong dates")
    r = client.get(f"/verify/{document.code}")
    assert r.status_code == 200
    assert "Widerrufen" in r.content.decode()
    assert "Gültig:" not in r.content.decode()


def test_unknown_code_shows_unknown(client, document):
    r = client.get("/verify/not-a-real-code-123456")
    assert r.status_code == 404
    assert "Unbekannter Code" in r.content.decode()


def test_verify_page_is_rate_limited(client, document, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "verify": "3/min",
        },
    }
    codes = [client.get(f"/verify/guess-{i}").status_code for i in range(3)]
    assert codes == [404, 404, 404]
    r = client.get(f"/verify/{document.code}")
    assert r.status_code == 429
    assert "Retry-After" in r.headers


def test_verify_page_sends_csp_and_no_inline_script(client, document):
    r = client.get(f"/verify/{document.code}")
    assert "Content-Security-Policy" in r.headers
    assert "<script>" not in r.content.decode()


def test_verify_api_valid_revoked_unknown(api_client, document, world):
    r = api_client.get(f"/api/v1/verify/{document.code}/")
    assert r.status_code == 200
    assert r.json() == {
        "status": "valid",
        "name": "A. Haddad",
        "kind": "participation",
        "course_type": "Allgemeiner Integrationskurs",
        "date_from": "2026-01-05",
        "date_to": "2026-01-16",
    }
    certificate_revoke(document=document, by=world.a.staff, reason="Wrong dates")
    assert api_client.get(f"/api/v1/verify/{document.code}/").json()["status"] == "revoked"
    r = api_client.get("/api/v1/verify/unknown-code/")
    assert r.status_code == 404
    assert r.json()["code"] == "unknown"
