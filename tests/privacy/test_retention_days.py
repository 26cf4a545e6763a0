"""Each retention class deletes (or anonymises) exactly on its day and not a day before.

Every expected day is counted by hand from the seeded periods (the migration's rule data):
"5 years after 26.07.2019" ends with 26.07.2024, so the row goes on 27.07.2024.
"""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile

from attendance.models import (
    AbsenceEvidence,
    Alert,
    AlertRule,
    LearnerCard,
)
from certificates.models import CertificateBatch, Document, TestResult
from enrolment.models import (
    Enrolment,
    LearnerImport,
    LoginCode,
    PlacementBooking,
    PlacementResult,
    WaitlistWish,
)
from internships.models import Placement, PlacementDay
from jobcenter.models import AccessLogEntry, AccessLogRecord, Webhook, WebhookDelivery
from people.models import Learner, LearnerEvent, User
from privacy.models import DataRequest, DeletionLog, LegalHold
from tests.factories import (
    AttendanceRecordFactory,
    InternshipFactory,
    LearnerFactory,
    PlacementResultFactory,
    SessionSignOffFactory,
    UserFactory,
)
from tests.privacy.conftest import D, at, run

pytestmark = pytest.mark.django_db


def test_attendance_records_anonymised_five_years_after_the_course_end(old):
    assert old.course.end_date == D(2019, 7, 26)  # 28 weeks of the planned timetable
    run(D(2024, 7, 26))
    old.first.refresh_from_db()
    old.enrolment.refresh_from_db()
    assert old.first.note == "pünktlich" and old.first.recorded_by_id == old.a.teacher.pk
    assert old.enrolment.created_by_id == old.a.staff.pk

    run(D(2024, 7, 27))
    old.first.refresh_from_db()
    old.enrolment.refresh_from_db()
    assert (old.first.note, old.first.recorded_by_id) == ("", None)
    assert (old.first.code, str(old.first.ue_attended)) == ("X", "5.00")  # the figures stay
    assert old.enrolment.created_by_id is None
    assert old.enrolment.status == Enrolment.Status.COMPLETED
    learner = Learner.all_objects.get(pk=old.learner.pk)  # nothing else keeps the name
    assert (learner.first_name, learner.last_name, learner.phone, learner.notes) == ("", "", "", "")
    assert learner.anonymised_at is not None and learner.preferred_language == "ar"


def test_sign_off_loses_the_signer_with_the_register(old):
    signoff = SessionSignOffFactory(session=old.first.session, signed_by=old.a.teacher)
    run(D(2024, 7, 26))
    signoff.refresh_from_db()
    assert signoff.signed_by_id == old.a.teacher.pk
    run(D(2024, 7, 27))
    signoff.refresh_from_db()
    assert signoff.signed_by_id is None


def test_placement_test_papers_go_after_three_years_from_the_end_of_the_test_year(world):
    a = world.a
    booking = PlacementResultFactory(
        booking__slot__provider=a.provider,
        booking__slot__location=a.location,
        booking__slot__date=D(2022, 5, 10),
        booking__learner=a.learners[0],
    ).booking
    run(D(2025, 12, 31))
    assert PlacementBooking.objects.filter(pk=booking.pk).exists()
    run(D(2026, 1, 1))
    assert not PlacementBooking.objects.filter(pk=booking.pk).exists()
    assert not PlacementResult.objects.filter(booking_id=booking.pk).exists()


def test_absence_evidence_goes_three_months_after_its_module_ended_and_the_day_was_signed(
    old, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    session = old.course.sessions.get(date=D(2019, 1, 8))
    absent = AttendanceRecordFactory(session=session, enrolment=old.enrolment, code="E")
    evidence = AbsenceEvidence(record=absent, is_medical_certificate=True)
    evidence.file.save("attest.pdf", ContentFile(b"%PDF-1.4 attest"), save=True)
    path = tmp_path / evidence.file.name
    module_end = old.course.sessions.filter(module=session.module).order_by("-date").first().date
    assert module_end == D(2019, 2, 1)  # module 1: 100 UE, 4 weeks of 25 UE from Mon 07.01.
    run(D(2019, 9, 1))
    assert AbsenceEvidence.objects.filter(pk=evidence.pk).exists()  # the day is not signed

    SessionSignOffFactory(session=session, signed_by=old.a.teacher)
    run(D(2019, 5, 1))  # 01.02. + 3 months = 01.05.
    assert AbsenceEvidence.objects.filter(pk=evidence.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        run(D(2019, 5, 2))
    assert not AbsenceEvidence.objects.filter(pk=evidence.pk).exists()
    assert not path.exists()  # the file went with the row


def test_checkin_metadata_cleared_four_weeks_after_the_check_in(old):
    old.first.checked_in_at = at(D(2019, 1, 7), 8, 35)
    old.first.save(update_fields=["checked_in_at"])
    run(D(2019, 2, 4))
    old.first.refresh_from_db()
    assert old.first.checked_in_at is not None
    run(D(2019, 2, 5))
    old.first.refresh_from_db()
    assert old.first.checked_in_at is None
    assert old.first.note == "pünktlich"  # the register row itself is kept


def test_revoked_cards_go_four_weeks_after_revocation_active_ones_stay(world):
    learner = world.a.learners[0]
    revoked = LearnerCard.objects.create(learner=learner, token="old", revoked_at=at(D(2024, 3, 1)))
    active = LearnerCard.objects.create(learner=learner, token="new")
    run(D(2024, 3, 29))
    assert LearnerCard.objects.filter(pk=revoked.pk).exists()
    run(D(2024, 3, 30))
    assert not LearnerCard.objects.filter(pk=revoked.pk).exists()
    assert LearnerCard.objects.filter(pk=active.pk).exists()


def test_attendance_alerts_go_a_year_after_the_course_end(old):
    rule = AlertRule.objects.create(
        provider=old.a.provider, name="Quote", kind="rate_below", threshold_percent=80
    )
    alert = Alert.objects.create(rule=rule, enrolment=old.enrolment, incident_key="2019-01")
    run(D(2020, 7, 26))
    assert Alert.objects.filter(pk=alert.pk).exists()
    run(D(2020, 7, 27))
    assert not Alert.objects.filter(pk=alert.pk).exists()


def test_learner_records_go_two_years_after_registration_when_nothing_else_is_kept(world):
    user = UserFactory(last_login=at(D(2020, 3, 5)))
    learner = LearnerFactory(provider=world.a.provider, registered_on=D(2020, 3, 1), user=user)
    LearnerEvent.objects.create(learner=learner, type="waitlisted")
    wish = WaitlistWish.objects.create(learner=learner, status="cancelled")
    WaitlistWish.objects.filter(pk=wish.pk).update(created_at=at(D(2020, 3, 2)))
    run(D(2022, 3, 2))  # the wish (created 02.03.2020) still runs until 02.03.2022
    assert Learner.all_objects.filter(pk=learner.pk).exists()
    run(D(2022, 3, 3))
    assert not Learner.all_objects.filter(pk=learner.pk).exists()
    assert not LearnerEvent.objects.filter(learner_id=learner.pk).exists()
    # The login, now without a learner, runs from its last use (05.03.2020) for 3 years.
    run(D(2023, 3, 5))
    assert User.objects.filter(pk=user.pk).exists()
    run(D(2023, 3, 6))
    assert not User.objects.filter(pk=user.pk).exists()


def test_an_active_wait_keeps_the_learner(world):
    learner = LearnerFactory(provider=world.a.provider, registered_on=D(2020, 3, 1))
    WaitlistWish.objects.create(learner=learner, status="active")
    run(D(2030, 1, 1))
    assert Learner.objects.get(pk=learner.pk).first_name == learner.first_name


def test_login_codes_go_thirty_days_after_expiry(world):
    code = LoginCode.objects.create(
        learner=world.a.learners[0], code_hash="x" * 64, expires_at=at(D(2024, 1, 10), 12)
    )
    run(D(2024, 2, 9))
    assert LoginCode.objects.filter(pk=code.pk).exists()
    run(D(2024, 2, 10))
    assert not LoginCode.objects.filter(pk=code.pk).exists()


def test_working_files_go_thirty_days_after_they_were_made(old):
    upload = LearnerImport.objects.create(
        provider=old.a.provider, file_name="liste.csv", file_format="csv", content=b"a;b"
    )
    batch = CertificateBatch.objects.create(
        provider=old.a.provider, course=old.course, total=1, pdf=b"%PDF"
    )
    LearnerImport.objects.filter(pk=upload.pk).update(created_at=at(D(2024, 1, 10)))
    CertificateBatch.objects.filter(pk=batch.pk).update(created_at=at(D(2024, 1, 10)))
    run(D(2024, 2, 9))
    assert LearnerImport.objects.filter(pk=upload.pk).exists()
    assert CertificateBatch.objects.filter(pk=batch.pk).exists()
    run(D(2024, 2, 10))
    assert not LearnerImport.objects.filter(pk=upload.pk).exists()
    assert not CertificateBatch.objects.filter(pk=batch.pk).exists()


def test_issued_documents_go_five_years_after_issue(old):
    pdf = b"%PDF-1.4 certificate"
    document = Document.objects.create(
        provider=old.a.provider,
        learner=old.learner,
        kind="participation",
        course=old.course,
        code="ABCD-2019",
        pdf=pdf,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_at=at(D(2019, 8, 1)),
    )
    run(D(2024, 8, 1))
    assert Document.objects.filter(pk=document.pk).exists()
    run(D(2024, 8, 2))
    assert not Document.objects.filter(pk=document.pk).exists()


def test_test_results_go_with_the_course_records(old):
    result = TestResult.objects.create(
        learner=old.learner, course=old.course, exam="dtz", taken_on=D(2019, 7, 20), result="B1"
    )
    run(D(2024, 7, 26))
    assert TestResult.objects.filter(pk=result.pk).exists()
    run(D(2024, 7, 27))
    assert not TestResult.objects.filter(pk=result.pk).exists()


def test_internships_anonymised_two_years_after_their_end(world):
    placement = InternshipFactory(
        learner=world.a.learners[0],
        employer__name="Bäckerei Kruse",
        start_date=D(2019, 6, 3),
        end_date=D(2019, 6, 30),
        supervisor_name="Frau Kruse",
        final_evaluation="sehr zuverlässig",
        status=Placement.Status.COMPLETED,
        outcome="job_offer",
    )
    day = PlacementDay.objects.create(placement=placement, date=D(2019, 6, 3), hours=6)
    run(D(2021, 6, 30))
    placement.refresh_from_db()
    assert placement.supervisor_name == "Frau Kruse"
    run(D(2021, 7, 1))
    placement.refresh_from_db()
    assert (placement.supervisor_name, placement.final_evaluation) == ("", "")
    assert (placement.status, placement.outcome) == ("completed", "job_offer")
    assert not PlacementDay.objects.filter(pk=day.pk).exists()


def test_jobcenter_access_log_goes_three_years_after_the_end_of_the_year_of_the_read(world):
    entry = AccessLogEntry.objects.create(
        at=at(D(2021, 6, 15)),
        channel="api",
        jobcenter=world.jobcenter,
        method="GET",
        path="/api/v1/jobcenter/participants/123/",
        status_code=200,
        records=1,
    )
    row = AccessLogRecord.objects.create(entry=entry, learner=world.a.learners[0], fields=["x"])
    run(D(2024, 12, 31))
    assert AccessLogRecord.objects.filter(pk=row.pk).exists()
    run(D(2025, 1, 1))
    assert not AccessLogRecord.objects.filter(pk=row.pk).exists()
    assert not AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_webhook_deliveries_go_three_months_after_delivery(world):
    learner = world.a.learners[0]
    event = LearnerEvent.objects.create(learner=learner, type="enrolled")
    hook = Webhook.objects.create(jobcenter=world.jobcenter, url="https://jc.example/h", secret="s")
    delivery = WebhookDelivery.objects.create(
        webhook=hook, event=event, status="delivered", delivered_at=at(D(2024, 1, 10))
    )
    run(D(2024, 4, 10))
    assert WebhookDelivery.objects.filter(pk=delivery.pk).exists()
    run(D(2024, 4, 11))
    assert not WebhookDelivery.objects.filter(pk=delivery.pk).exists()


def test_unused_logins_go_three_years_after_their_last_use(world):
    orphan = User.objects.create(
        username="gone", password=make_password(None), last_login=at(D(2020, 5, 5))
    )
    run(D(2023, 5, 5))
    assert User.objects.filter(pk=orphan.pk).exists()
    run(D(2023, 5, 6))
    assert not User.objects.filter(pk=orphan.pk).exists()
    assert User.objects.filter(pk=world.a.staff.pk).exists()  # a role keeps the login


def test_ended_holds_and_answered_requests_go_after_their_periods(world):
    hold = LegalHold.objects.create(
        provider=world.a.provider, reason="Klage", starts_on=D(2019, 1, 1), ends_on=D(2020, 1, 31)
    )
    request = DataRequest.objects.create(
        provider=world.a.provider, kind="access", completed_at=at(D(2021, 3, 3))
    )
    run(D(2023, 1, 31))
    assert LegalHold.objects.filter(pk=hold.pk).exists()
    run(D(2023, 2, 1))
    assert not LegalHold.objects.filter(pk=hold.pk).exists()
    run(D(2024, 12, 31))
    assert DataRequest.objects.filter(pk=request.pk).exists()
    run(D(2025, 1, 1))
    assert not DataRequest.objects.filter(pk=request.pk).exists()


def test_the_deletion_log_counts_without_personal_data(old):
    run(D(2024, 7, 27))
    entries = list(DeletionLog.objects.values_list("key", "model", "action", "count"))
    assert ("learner_records", "people.Learner", "anonymised", 1) in entries
    assert ("attendance_records", "enrolment.Enrolment", "anonymised", 1) in entries
    text = " ".join(str(value) for row in entries for value in row)
    assert old.learner.last_name not in text and str(old.learner.pk) not in text.split()
