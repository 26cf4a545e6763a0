"""Learner cards (issue, revoke, reissue, scan) and the BAMF PDFs (read back with pypdf)."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from attendance.models import AttendanceRecord, LearnerCard, Method
from attendance.services import card_checkin, card_issue, card_revoke, day_sign, record_set
from core.errors import DomainError
from tests.factories import EnrolmentFactory

from .conftest import learner_with_login


def pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    return [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]


def test_card_checkin_by_teacher_scan_is_idempotent(att, api_client):
    card = card_issue(learner=att.learners[0], by=att.staff)
    api_client.force_authenticate(att.teacher)
    url = reverse("api:attendance-card-checkin", args=[att.session.pk])
    r = api_client.post(url, {"card": card.qr_content}, format="json")
    assert r.status_code == 201 and r.json()["code"] == "checked_in"
    r = api_client.post(url, {"card": card.token}, format="json")
    assert r.status_code == 200 and r.json()["code"] == "already_checked_in"
    record = AttendanceRecord.objects.get()
    assert record.method == Method.LEARNER_CARD and record.recorded_by == att.teacher


def test_revoked_card_is_refused_and_reissue_works(att):
    old = card_issue(learner=att.learners[0], by=att.staff)
    new = card_issue(learner=att.learners[0], by=att.staff)  # reissue revokes the old one
    old.refresh_from_db()
    assert old.is_revoked and not new.is_revoked
    with pytest.raises(DomainError) as exc:
        card_checkin(session=att.session, token=old.token, by=att.teacher)
    assert exc.value.code == "card_revoked"
    card_revoke(card=new, by=att.staff)
    with pytest.raises(DomainError) as exc:
        card_checkin(session=att.session, token=new.token, by=att.teacher)
    assert exc.value.code == "card_revoked"
    with pytest.raises(DomainError) as exc:
        card_checkin(session=att.session, token="unknown", by=att.teacher)
    assert exc.value.code == "card_unknown"
    assert not AttendanceRecord.objects.exists()


def test_card_of_a_learner_not_in_the_course_is_refused(att):
    card = card_issue(learner=att.outsider_learner, by=att.staff)
    with pytest.raises(DomainError) as exc:
        card_checkin(session=att.session, token=card.token, by=att.teacher)
    assert exc.value.code == "not_enrolled"


def test_scan_page_form_for_usb_scanners(att, client):
    card = card_issue(learner=att.learners[1], by=att.staff)
    client.force_login(att.teacher)
    url = reverse("attendance-scan", args=[att.session.pk])
    r = client.get(url)
    assert r.status_code == 200
    assert "vendor/barcode-detector/barcode-detector.js" in r.content.decode()
    assert "'wasm-unsafe-eval'" in r["Content-Security-Policy"]
    r = client.post(url, {"card": card.qr_content})
    assert r.status_code == 200
    assert att.learners[1].full_name in r.content.decode()
    assert AttendanceRecord.objects.get().enrolment == att.enrolments[1]


def test_card_pdf_and_course_batch_carry_a_decodable_qr(att, client):
    import zxingcpp
    from PIL import Image

    client.force_login(att.staff)
    r = client.get(reverse("attendance-course-cards", args=[att.course.pk]))
    texts = pdf_pages(r)
    for learner in att.learners:
        assert learner.last_name in "".join(texts)
    assert LearnerCard.objects.active().count() == 3
    r = client.get(reverse("attendance-card-pdf", args=[att.learners[0].pk]))
    reader = PdfReader(io.BytesIO(r.content))
    images = [img for page in reader.pages for img in page.images]
    assert images
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(images[0].data)))
    card = LearnerCard.objects.active().get(learner=att.learners[0])
    assert [d.text for d in decoded] == [card.qr_content]


def test_daily_signature_sheet_has_at_most_16_learners_per_sheet(att, client):
    for _ in range(15):  # 18 learners in all
        EnrolmentFactory(learner=learner_with_login(att.course.provider), course=att.course)
    record_set(
        session=att.session,
        enrolment=att.enrolments[0],
        by=att.teacher,
        code="X",
        arrived_at=dt.time(9, 5),
    )
    record_set(session=att.session, enrolment=att.enrolments[1], by=att.teacher, code="E")
    day_sign(session=att.session, by=att.teacher)
    client.force_login(att.teacher)
    r = client.get(reverse("attendance-signature-sheet", args=[att.session.pk]))
    pages = pdf_pages(r)
    assert len(pages) == 2
    assert "Blatt 1 von 2" in pages[0] and "Blatt 2 von 2" in pages[1]
    assert "Kommt / Geht" in pages[0]
    numbers = [
        n for n in range(1, 19) if f"\n{n} " in "\n" + pages[0] or f"\n{n}\n" in "\n" + pages[0]
    ]
    assert 16 in numbers and 17 not in numbers
    everything = "".join(pages)
    assert "09:05" in everything
    # 17 learners absent (1 E, 16 U after sign-off): their fields are crossed out
    assert everything.count("abwesend") == 17


def test_module_attendance_list_pdf(att, client):
    record_set(session=att.session, enrolment=att.enrolments[0], by=att.teacher, code="X")
    record_set(session=att.session, enrolment=att.enrolments[1], by=att.teacher, code="U")
    client.force_login(att.teacher)
    module = att.session.module
    r = client.get(reverse("attendance-module-list", args=[att.course.pk, module.pk]))
    pages = pdf_pages(r)
    text = "".join(pages)
    assert "Anwesenheitsliste" in text
    assert att.learners[0].last_name in text
    assert "16.11." in text
