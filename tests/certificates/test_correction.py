"""Corrections: a new version is issued, the old one revoked, both audited with who and why."""

import pytest
from auditlog.models import LogEntry

from certificates.models import Document
from certificates.services import (
    CertificateError,
    certificate_correct,
    certificate_issue,
    certificate_revoke,
)
from core.errors import ConflictError
from tests.certificates.helpers import fill_register, pdf_text, running_course, weeks_later
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(world):
    a = world.a
    course = running_course(a.provider, location=a.location)
    enrolment = EnrolmentFactory(course=course, learner=a.learners[0])
    fill_register(enrolment, until=weeks_later(1))
    return certificate_issue(
        kind="participation",
        learner=a.learners[0],
        course=course,
        by=a.staff,
        until=weeks_later(1),
    )


def test_correction_issues_new_version_and_revokes_old(document, world):
    staff = world.a.staff
    new = certificate_correct(document=document, by=staff, reason="Name misspelt")
    old = Document.objects.get(pk=document.pk)
    assert new.version == 2 and new.previous_id == old.pk
    assert new.code != old.code
    assert old.revoked_at is not None and old.revoked_by == staff
    assert "Name misspelt" in old.revoke_reason
    assert new.revoked_at is None
    assert "Version 2" in pdf_text(new.pdf)
    # both steps are in the audit log, with the person who did them
    create = LogEntry.objects.get_for_object(new).get(action=LogEntry.Action.CREATE)
    assert create.actor == staff
    update = LogEntry.objects.get_for_object(old).filter(action=LogEntry.Action.UPDATE).get()
    assert update.actor == staff
    assert "revoke_reason" in update.changes_dict


def test_old_pdf_bytes_stay_unchanged_after_revocation(document, world):
    before = bytes(document.pdf)
    certificate_revoke(document=document, by=world.a.staff, reason="Issued by mistake")
    assert bytes(Document.objects.get(pk=document.pk).pdf) == before


def test_revoking_needs_a_reason_and_happens_once(document, world):
    with pytest.raises(CertificateError):
        certificate_revoke(document=document, by=world.a.staff, reason="  ")
    certificate_revoke(document=document, by=world.a.staff, reason="Wrong course")
    with pytest.raises(ConflictError):
        certificate_revoke(document=document, by=world.a.staff, reason="again")
    with pytest.raises(ConflictError):
        certificate_correct(document=document, by=world.a.staff, reason="too late")


def test_correct_and_revoke_pages(client, document, world):
    client.force_login(world.a.staff)
    r = client.post(f"/certificates/documents/{document.pk}/correct/", {"reason": "Wrong module"})
    new = Document.objects.get(previous=document)
    assert r.status_code == 302 and r.url == f"/certificates/documents/{new.pk}/"
    r = client.post(f"/certificates/documents/{new.pk}/revoke/", {"reason": "Withdrawn"})
    assert Document.objects.get(pk=new.pk).revoke_reason == "Withdrawn"


def test_outsider_cannot_correct_or_revoke(client, document, world):
    client.force_login(world.b.staff)
    assert (
        client.post(f"/certificates/documents/{document.pk}/correct/", {"reason": "x"}).status_code
        == 404
    )
    assert (
        client.post(f"/certificates/documents/{document.pk}/revoke/", {"reason": "x"}).status_code
        == 404
    )
    assert Document.objects.get(pk=document.pk).revoked_at is None


def test_an_over_long_revocation_reason_is_refused_with_a_message(document, world):
    from certificates.services import CertificateError, certificate_revoke

    with pytest.raises(CertificateError) as err:
        certificate_revoke(document=document, by=world.a.staff, reason="x" * 10_000)
    assert (err.value.code, err.value.field) == ("too_long", "reason")
    assert "300" in err.value.message
    document.refresh_from_db()
    assert document.revoked_at is None
