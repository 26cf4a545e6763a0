"""Participation certificates: the PDF says what the register says, in German (+ a second language)."""

import datetime as dt
import hashlib

import pytest

from certificates.models import Document, ImmutableDocumentError
from certificates.services import CertificateError, certificate_issue, exam_result_record
from tests.certificates.helpers import (
    fill_register,
    pdf_text,
    running_course,
    weeks_later,
)
from tests.factories import EnrolmentFactory, LearnerFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
UNTIL = weeks_later(3)  # Friday of the third week: 15 course days, 75 UE


@pytest.fixture
def setup(world):
    a = world.a
    course = running_course(a.provider, location=a.location, bamf_course_number="123-45")
    learner = a.learners[0]
    enrolment = EnrolmentFactory(course=course, learner=learner)
    # 15 course days up to UNTIL: day 0 excused, days 1 and 2 unexcused, the rest present.
    fill_register(enrolment, {0: "E", 1: "U", 2: "U"}, until=weeks_later(4))
    return a, course, learner, enrolment


def test_certificate_shows_learner_course_and_register_figures(setup):
    a, course, learner, _ = setup
    exam_result_record(
        learner=learner,
        exam="dtz",
        taken_on=dt.date(2026, 11, 1),
        result="B1",
        level="B1",
        by=a.staff,
        course=course,
    )
    doc = certificate_issue(
        kind="participation", learner=learner, course=course, by=a.staff, until=UNTIL
    )
    text = pdf_text(doc.pdf)
    assert "Teilnahmebescheinigung" in text
    assert f"{learner.first_name} {learner.last_name}" in text
    assert learner.date_of_birth.strftime("%d.%m.%Y") in text
    assert course.course_type.name in text
    assert "123-45" in text
    assert "Kursabschnitt 1" in text
    assert "05.01.2026 – 23.01.2026" in text
    # planned, held, attended, excused, unexcused on the module row: 15 days of 5 UE held up to
    # UNTIL, 12 of them present (day 0 excused, days 1 and 2 unexcused)
    assert "100 75 60 1 2" in text
    assert "Deutsch-Test für Zuwanderer" in text or "DTZ" in text
    assert "B1" in text
    assert doc.code in text.replace("\n", "")
    assert f"/verify/{doc.code}" in text.replace("\n", "")


def test_document_is_stored_with_hash_and_cannot_change(setup):
    a, course, learner, _ = setup
    doc = certificate_issue(kind="participation", learner=learner, course=course, by=a.staff)
    doc = Document.objects.get(pk=doc.pk)
    assert hashlib.sha256(bytes(doc.pdf)).hexdigest() == doc.sha256
    assert len(doc.code) >= 20
    assert doc.facts["name"] == f"{learner.first_name[0]}. {learner.last_name}"
    doc.pdf = b"forged"
    with pytest.raises(ImmutableDocumentError):
        doc.save()
    with pytest.raises(ImmutableDocumentError):
        doc.delete()


def test_codes_are_unique_per_document(setup):
    a, course, learner, _ = setup
    one = certificate_issue(kind="participation", learner=learner, course=course, by=a.staff)
    two = certificate_issue(kind="participation", learner=learner, course=course, by=a.staff)
    assert one.code != two.code


def test_second_language_is_printed_beside_german(setup):
    a, course, learner, _ = setup
    doc = certificate_issue(
        kind="participation", learner=learner, course=course, by=a.staff, language="en"
    )
    text = pdf_text(doc.pdf)
    assert "Teilnahmebescheinigung" in text
    assert "Certificate of participation" in text


def test_arabic_second_language_is_accepted_and_unknown_language_refused(setup):
    a, course, learner, _ = setup
    doc = certificate_issue(
        kind="participation", learner=learner, course=course, by=a.staff, language="ar"
    )
    assert doc.language == "ar"
    text = pdf_text(doc.pdf)
    assert "Teilnahmebescheinigung" in text and "شهادة مشاركة" in text
    with pytest.raises(CertificateError) as err:
        certificate_issue(
            kind="participation", learner=learner, course=course, by=a.staff, language="xx"
        )
    assert err.value.code == "language_unavailable"


def test_module_certificate_counts_only_that_module(world):
    a = world.a
    # 6 weeks at 25 UE a week: module 1 (100 UE) is done, module 2 has 50 UE held.
    course = running_course(a.provider, location=a.location)
    learner = a.learners[1]
    enrolment = EnrolmentFactory(course=course, learner=learner)
    fill_register(enrolment, {25: "U"}, until=weeks_later(6))  # one unexcused day in module 2
    module2 = course.course_type.modules.get(order=2)
    doc = certificate_issue(
        kind="participation",
        learner=learner,
        course=course,
        module=module2,
        by=a.staff,
        until=weeks_later(6),
    )
    text = pdf_text(doc.pdf)
    assert "Kursabschnitt 2" in text
    assert "Kursabschnitt 1" not in text
    assert "100 50 45 0 1" in text
    assert doc.facts["module"] == "Kursabschnitt 2"


def test_learner_without_enrolment_gets_no_certificate(world):
    a = world.a
    with pytest.raises(CertificateError) as err:
        certificate_issue(kind="participation", learner=a.learners[2], course=a.course, by=a.staff)
    assert err.value.code == "not_enrolled"


def test_course_of_another_provider_is_refused(world):
    stranger = LearnerFactory(provider=OrganisationFactory())
    with pytest.raises(CertificateError) as err:
        certificate_issue(kind="participation", learner=stranger, course=world.a.course, by=None)
    assert err.value.code == "foreign_course"


def test_portal_builder_reuses_todays_certificate(setup):
    from certificates.services import participation_pdf_for_enrolment

    _, _, learner, enrolment = setup
    first = participation_pdf_for_enrolment(enrolment)
    second = participation_pdf_for_enrolment(enrolment)
    assert first == second
    assert Document.objects.filter(learner=learner).count() == 1
    assert "Teilnahmebescheinigung" in pdf_text(first)


@pytest.mark.parametrize("language", ["fa", "uk", "tr", "ru"])
def test_every_learner_language_can_be_the_second_language(setup, language):
    from django.utils import translation

    a, course, learner, _ = setup
    with translation.override(language):
        expected = str(translation.gettext("Certificate of participation"))
    doc = certificate_issue(
        kind="participation", learner=learner, course=course, by=a.staff, language=language
    )
    assert doc.language == language
    assert expected != "Certificate of participation"  # translated, not the msgid
    text = pdf_text(doc.pdf)
    assert "Teilnahmebescheinigung" in text
    if language in ("uk", "tr", "ru"):  # left-to-right scripts read back as written
        assert expected in text


def test_no_colon_is_left_behind_a_second_language_label(setup):
    """The bilingual label is a block (German, the translation below it): a colon written after
    it landed at the start of the value's line (": 05.12.2026"). Labels and values are rows."""
    a, course, learner, _ = setup
    doc = certificate_issue(
        kind="participation", learner=learner, course=course, by=a.staff, language="en"
    )
    lines = [line.strip() for line in pdf_text(doc.pdf).splitlines()]
    assert [line for line in lines if line.startswith(":")] == []
    assert "Issued on" in lines or any(line.startswith("Issued on") for line in lines)
