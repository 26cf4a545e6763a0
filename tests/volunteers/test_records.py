"""Hours and recognition: the yearly record, the proof of volunteering as a verifiable document
(``/verify/<code>``), the retention declarations and the day of the last activity."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import Document, Kind
from core.errors import DomainError
from core.retention import declarations, declares
from privacy.models import RetentionRule
from privacy.services.retention import retention_run
from volunteers import services
from volunteers.models import (
    ConductCheck,
    RequirementRecord,
    ShiftAssignment,
    Tandem,
    TandemMeeting,
    Volunteer,
)
from volunteers.rules import add_months
from volunteers.selectors import volunteer_last_activity, yearly_record

from .helpers import cafe, today

pytestmark = pytest.mark.django_db


def pdf_text(data) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(data))).pages)


def worked(vw, *, days_ago: int, minutes: int | None = None) -> ShiftAssignment:
    """A past café date the volunteer worked (past dates cannot be claimed any more)."""
    a = vw.a
    activity = cafe(
        a.provider,
        a.location,
        a.staff,
        first=today() - dt.timedelta(days=days_ago),
        weeks=0,
        title=f"Café {days_ago}",
    )
    shift = activity.shifts.get()
    assignment = ShiftAssignment.objects.create(shift=shift, volunteer=vw.volunteer)
    services.shift_checkin_by_staff(assignment=assignment, by=a.staff)
    return assignment


def test_yearly_record_counts_approved_hours_by_activity(vw):
    if today().month == 1 and today().day < 10:
        pytest.skip("needs two past days in this year")
    first = worked(vw, days_ago=3)
    worked(vw, days_ago=1)
    services.hours_decide(entries=[first.hours], approve=True, by=vw.a.staff)
    record = yearly_record(vw.volunteer, today().year)
    assert [(a.label, a.minutes, a.dates) for a in record.activities] == [("Café 3", 120, 1)]
    assert record.pending_minutes == 120
    assert str(record.hours) == "2.0"


def test_rejected_hours_need_a_reason(vw):
    assignment = worked(vw, days_ago=1)
    with pytest.raises(DomainError) as exc:
        services.hours_decide(entries=[assignment.hours], approve=False, by=vw.a.staff)
    assert exc.value.code == "reason_required"


def test_proof_is_a_verifiable_document_of_the_certificates_app(vw, client):
    assignment = worked(vw, days_ago=1)
    services.hours_decide(entries=[assignment.hours], approve=True, by=vw.a.staff)
    client.force_login(vw.volunteer.user)
    year = assignment.shift.session.date.year
    r = client.post(reverse("volunteers-proof-issue", args=[vw.volunteer.pk, year]))
    assert r.status_code == 302
    document = Document.objects.get(kind=Kind.VOLUNTEERING)
    assert document.learner is None and document.provider == vw.a.provider
    assert document.facts["name"] == f"V. {vw.volunteer.user.last_name}"
    pdf = client.get(r.url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Nachweis über ehrenamtliches Engagement" in text
    assert document.code in text.replace("\n", "")
    assert "Café 1" in text
    page = client.get(
        reverse("certificates-verify", args=[document.code]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Proof of volunteering" in html and f"V. {vw.volunteer.user.last_name}" in html
    assert "Valid" in html


def test_a_new_proof_for_the_same_year_revokes_the_old_one(vw):
    assignment = worked(vw, days_ago=1)
    services.hours_decide(entries=[assignment.hours], approve=True, by=vw.a.staff)
    year = assignment.shift.session.date.year
    first = services.proof_issue(volunteer=vw.volunteer, year=year, by=vw.a.staff)
    second = services.proof_issue(volunteer=vw.volunteer, year=year, by=vw.a.staff)
    first.document.refresh_from_db()
    assert first.document.is_revoked and not second.document.is_revoked
    assert second.document.previous_id == first.document.pk


def test_no_proof_without_approved_hours(vw):
    worked(vw, days_ago=1)  # pending only
    with pytest.raises(DomainError) as exc:
        services.proof_issue(volunteer=vw.volunteer, year=today().year, by=vw.a.staff)
    assert exc.value.code == "nothing_to_prove"


def test_every_model_declares_how_long_it_is_kept():
    classes = {}
    for model in apps.get_app_config("volunteers").get_models():
        assert declares(model), model
        classes[model.__name__] = {d.key for d in declarations(model)}
    assert classes["ConductCheck"] == {"certificate_of_conduct"}
    assert classes["HoursEntry"] == classes["ShiftAssignment"] == {"volunteer_hours"}
    assert classes["TandemMeeting"] == {"volunteer_hours"}
    assert classes["Volunteer"] == classes["Tandem"] == {"volunteer_records"}
    assert classes["AllowancePayment"] == classes["ExpenseReimbursement"] == {"accounting_records"}
    assert classes["RequirementRule"] == classes["Activity"] == set()  # personal_data = False
    rules = RetentionRule.objects.in_force(today())
    assert {"certificate_of_conduct", "volunteer_records", "volunteer_hours"} <= set(rules)


def test_last_activity_is_the_latest_day_of_work(vw):
    v = vw.volunteer
    assert volunteer_last_activity(v) == v.start_date  # accepted, nothing done yet
    worked(vw, days_ago=40)
    assert volunteer_last_activity(v) == today() - dt.timedelta(days=40)
    # a shift taken but not (yet) worked is no activity
    services.shift_claim(shift=vw.shift, volunteer=v, by=v.user)
    assert volunteer_last_activity(v) == today() - dt.timedelta(days=40)
    tandem = services.tandem_propose(
        volunteer=v, learner=vw.learner, contact_channel="office", by=vw.a.staff
    )
    assert volunteer_last_activity(v) == today() - dt.timedelta(days=40)  # only proposed
    services.tandem_consent_give(tandem=tandem, method="in_person", by=vw.a.staff)
    assert volunteer_last_activity(v) is None  # a running tandem: the activity goes on
    Tandem.objects.filter(pk=tandem.pk).update(started_on=today() - dt.timedelta(days=30))
    TandemMeeting.objects.create(tandem=tandem, date=today() - dt.timedelta(days=20), minutes=60)
    Tandem.objects.filter(pk=tandem.pk).update(
        status="ended", end_reason="goal_reached", ended_on=today() - dt.timedelta(days=15)
    )
    assert volunteer_last_activity(v) == today() - dt.timedelta(days=15)


def test_last_activity_of_someone_who_never_started(world):
    from tests.factories import UserFactory

    from .helpers import profile

    v = services.volunteer_signup(
        providers=[world.a.provider], user=UserFactory(), profile=profile()
    )[0]
    assert volunteer_last_activity(v) is None


def test_the_retention_job_deletes_the_conduct_record_six_months_after_the_last_activity(vw):
    v = vw.volunteer
    worked(vw, days_ago=10)
    last = today() - dt.timedelta(days=10)
    assert volunteer_last_activity(v) == last
    check = ConductCheck.objects.get(volunteer=v)
    RetentionRule.objects.in_force(today())  # the class exists as rule data
    retention_run(today=add_months(last, 6), dry_run=False)
    assert ConductCheck.objects.filter(pk=check.pk).exists()  # the period ends that day
    retention_run(today=add_months(last, 6) + dt.timedelta(days=1), dry_run=False)
    assert not ConductCheck.objects.filter(pk=check.pk).exists()
    # the requirement it fulfilled went with it; the volunteer and their hours stay
    assert not RequirementRecord.objects.filter(volunteer=v, code="conduct_certificate").exists()
    assert Volunteer.objects.filter(pk=v.pk).exists() and v.hours.exists()


def test_the_retention_job_keeps_the_conduct_record_while_a_tandem_runs(vw):
    v = vw.volunteer
    tandem = services.tandem_propose(
        volunteer=v, learner=vw.learner, contact_channel="office", by=vw.a.staff
    )
    services.tandem_consent_give(tandem=tandem, method="in_person", by=vw.a.staff)
    retention_run(today=today() + dt.timedelta(days=3 * 365), dry_run=False)
    assert ConductCheck.objects.filter(volunteer=v).exists()


def test_allowance_records_outlive_the_volunteer(vw):
    from decimal import Decimal

    from volunteers.models import AllowancePayment

    services.allowance_declare(volunteer=vw.volunteer, year=2026, kind="ehrenamt", by=vw.a.staff)
    services.allowance_pay(
        volunteer=vw.volunteer,
        kind="ehrenamt",
        paid_on=dt.date(2026, 1, 5),
        amount=Decimal("100"),
        by=vw.a.staff,
    )
    services.volunteer_end(volunteer=vw.volunteer, by=vw.a.staff)
    name = vw.volunteer.user.get_full_name()
    retention_run(today=dt.date(2031, 1, 2), dry_run=False)  # volunteer records: 3 years
    assert not Volunteer.objects.filter(pk=vw.volunteer.pk).exists()
    payment = AllowancePayment.objects.get()
    assert (payment.volunteer, payment.payee_name, payment.provider) == (None, name, vw.a.provider)
    retention_run(today=dt.date(2037, 1, 2), dry_run=False)  # accounting records: 10 years
    assert not AllowancePayment.objects.exists()
