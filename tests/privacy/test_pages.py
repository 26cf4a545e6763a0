"""The data-protection pages: the learner's data and privacy notice, the public notice, the staff
pages and the record of processing activities; every outsider gets 404."""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from attendance.models import LearnerCard
from enrolment.models import LoginCode
from jobcenter.models import AccessLogEntry, AccessLogRecord
from people.models import Learner, Organisation, Role
from privacy.models import DataRequest, LegalHold, PrivacySettings
from privacy.selectors import learner_data_package
from tests.factories import AttendanceRecordFactory, EnrolmentFactory, UserFactory, member
from tests.privacy.conftest import D

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(world):
    """Learner a0 with a login and records of several kinds; a DPO at provider a."""
    a = world.a
    learner = a.learners[0]
    learner.user = UserFactory(username="lea", preferred_language="ar")
    learner.phone = "0176 123"
    learner.save()
    enrolment = EnrolmentFactory(course=a.course, learner=learner)
    AttendanceRecordFactory(
        session=a.course.sessions.order_by("date")[0], enrolment=enrolment, note="früher gegangen"
    )
    LoginCode.objects.create(
        learner=learner, code_hash="s" * 64, expires_at=timezone.now() + dt.timedelta(days=3)
    )
    LearnerCard.objects.create(learner=learner, token="secret-card-token")
    entry = AccessLogEntry.objects.create(
        channel="portal", jobcenter=world.jobcenter, method="GET", path="/j", status_code=200
    )
    AccessLogRecord.objects.create(entry=entry, learner=learner, fields=["enrolments"])
    PrivacySettings.objects.create(
        provider=a.provider, dpo_name="Dora Datenschutz", dpo_email="dsb@diakonie.example"
    )
    a.provider.data_protection_regime = Organisation.DataProtectionRegime.DSG_EKD
    a.provider.legal_basis_text = "Unser eigener Text."
    a.provider.save()
    dpo = member(a.provider, Role.DATA_PROTECTION_OFFICER, username="dpo")
    return world, learner, dpo


def outsiders(world):
    """Another provider's staff, a teacher, a learner, a Jobcenter caseworker."""
    other_learner = world.b.learners[0]
    other_learner.user = UserFactory(username="bert")
    other_learner.save()
    return [world.b.staff, world.a.teacher, other_learner.user, world.caseworker]


# --- the learner's own pages ------------------------------------------------------------------


def test_the_learner_downloads_everything_stored_about_them(site, client):
    world, learner, _dpo = site
    client.force_login(learner.user)
    response = client.get("/me/data/?format=json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    package = json.loads(response.content)
    assert package["language"] == "ar"  # the learner's language
    sections = {s["key"]: s for s in package["sections"]}
    assert sections["people_learner"]["records"][0]["phone"] == "0176 123"
    assert sections["people_learner"]["records"][0]["provider"] == str(world.a.provider)
    assert sections["login"]["records"][0]["username"] == "lea"
    assert sections["attendance_attendancerecord"]["records"][0]["note"] == "früher gegangen"
    assert sections["jobcenter_accesslogrecord"]["records"][0]["fields"] == ["enrolments"]
    assert len(sections["enrolment_logincode"]["records"]) == 1
    assert "secret-card-token" not in response.content.decode()
    assert "s" * 64 not in response.content.decode()  # a login code's hash is not shown
    assert package["controller"]["data_protection_officer"] == "Dora Datenschutz"

    pdf = client.get("/me/data/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_package_covers_every_kind_of_record_about_the_learner(site):
    _world, learner, _dpo = site
    package = learner_data_package(learner, language="de")
    keys = {s["key"] for s in package["sections"]}
    assert {
        "people_learner",
        "login",
        "enrolment_enrolment",
        "attendance_attendancerecord",
        "attendance_learnercard",
        "enrolment_logincode",
        "jobcenter_accesslogrecord",
    } <= keys
    json.dumps(package)  # plain JSON
    learner_section = next(s for s in package["sections"] if s["key"] == "people_learner")
    assert learner_section["labels"]["date_of_birth"] == "Geburtsdatum"


def test_the_learner_privacy_page_names_the_law_officer_and_periods(site, client):
    _world, learner, _dpo = site
    client.force_login(learner.user)
    page = client.get("/me/privacy/", HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Dora Datenschutz" in text and "Unser eigener Text." in text
    assert "DSG-EKD" in text
    assert 'href="/me/data/"' in text
    assert 'lang="ar"' in text and "بياناتك وحقوقك" in text  # in the learner's language
    assert "5 سنوات" in text  # the BAMF records' period, translated


def test_a_provider_notice_is_public_and_only_for_providers(site, client):
    world, _learner, _dpo = site
    assert client.get(f"/privacy/{world.a.provider.pk}/").status_code == 200
    assert client.get(f"/privacy/{world.jobcenter.pk}/").status_code == 404


def test_only_a_learner_has_my_data(site, client):
    world, _learner, dpo = site
    for user in [world.a.staff, world.a.teacher, world.caseworker, dpo]:
        client.force_login(user)
        assert client.get("/me/data/").status_code == 404
        assert client.get("/me/privacy/").status_code == 404
    client.logout()
    assert client.get("/me/data/").status_code == 302  # to the login


# --- staff pages ----------------------------------------------------------------------------


def test_staff_overview_finds_a_learner_and_shows_classes_holds_and_log(
    site, client, django_assert_num_queries
):
    world, learner, _dpo = site
    LegalHold.objects.create(
        provider=world.a.provider,
        reason="BAMF-Prüfung",
        starts_on=D(2025, 1, 1),
        ends_on=D(2099, 1, 1),
    )
    client.force_login(world.a.staff)
    client.get("/staff/privacy/")  # warm the content-type and session caches
    with django_assert_num_queries(9):
        page = client.get("/staff/privacy/", {"q": learner.last_name})
    text = page.content.decode()
    assert page.status_code == 200
    assert f"/staff/privacy/learners/{learner.pk}/" in text
    assert "BAMF-Prüfung" in text and "attendance_records" in text
    assert world.b.learners[0].last_name not in text


def test_staff_get_a_learner_package_for_a_paper_request(site, client):
    world, learner, _dpo = site
    client.force_login(world.a.staff)
    page = client.get(f"/staff/privacy/learners/{learner.pk}/")
    assert page.status_code == 200
    assert reverse("privacy-learner-erase", args=[learner.pk]) in page.content.decode()
    response = client.get(f"/staff/privacy/learners/{learner.pk}/data/?format=json&language=de")
    assert json.loads(response.content)["language"] == "de"
    request = DataRequest.objects.get()
    assert (request.kind, request.learner_id, request.handled_by_id) == (
        "access",
        learner.pk,
        world.a.staff.pk,
    )


def test_staff_erase_through_the_page(site, client):
    world, learner, _dpo = site
    client.force_login(world.a.staff)
    refused = client.post(f"/staff/privacy/learners/{learner.pk}/erase/", {})
    assert refused.status_code == 302 and Learner.objects.filter(pk=learner.pk).exists()
    done = client.post(f"/staff/privacy/learners/{learner.pk}/erase/", {"confirm": "erase"})
    assert done.status_code == 302
    assert not Learner.objects.filter(pk=learner.pk).exists()


def test_outsiders_get_404_on_every_staff_page(site, client):
    world, learner, _dpo = site
    urls = [
        "/staff/privacy/",
        "/staff/privacy/restricted/",
        f"/staff/privacy/learners/{learner.pk}/",
        f"/staff/privacy/learners/{learner.pk}/data/",
        f"/staff/privacy/providers/{world.a.provider.pk}/processing-record.xlsx",
    ]
    for user in outsiders(world):
        client.force_login(user)
        for url in urls:
            if user == world.b.staff and url == "/staff/privacy/":
                continue  # their own overview: nothing of provider a on it
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(f"/staff/privacy/learners/{learner.pk}/erase/").status_code == 404
    assert Learner.objects.filter(pk=learner.pk).exists()
    client.force_login(world.b.staff)
    assert learner.last_name not in client.get("/staff/privacy/").content.decode()


def test_the_dpo_sees_pages_but_does_not_erase(site, client):
    world, learner, dpo = site
    client.force_login(dpo)
    assert client.get("/staff/privacy/").status_code == 200
    assert client.get("/staff/privacy/restricted/").status_code == 200
    assert client.post(f"/staff/privacy/learners/{learner.pk}/erase/").status_code == 404
    client.force_login(world.a.staff)
    assert client.get("/staff/privacy/restricted/").status_code == 404


def test_record_of_processing_activities_from_the_declarations(site, client):
    world, _learner, _dpo = site
    client.force_login(world.a.staff)
    response = client.get(
        f"/staff/privacy/providers/{world.a.provider.pk}/processing-record.xlsx",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    controller = book.worksheets[0]
    assert controller["A1"].value == "Record of processing activities (§ 31 DSG-EKD)"
    activities = book.worksheets[1]
    rows = {row[-1]: row for row in activities.iter_rows(min_row=2, values_only=True)}
    attendance = rows["attendance_records"]
    assert attendance[0] == "Attendance and billing records"
    assert "attendance records" in attendance[3].lower() and attendance[6] == "yes"
    assert "5 years" in attendance[5]
    assert "72a" in rows["certificate_of_conduct"][7]


def test_a_provider_period_shows_as_shortened(site, client):
    from privacy.services.settings import provider_period_set

    world, _learner, _dpo = site
    provider_period_set(
        provider=world.a.provider,
        key="login_codes",
        amount=7,
        unit="days",
        valid_from=D(2024, 1, 1),
    )
    client.force_login(world.a.staff)
    response = client.get(
        f"/staff/privacy/providers/{world.a.provider.pk}/processing-record.xlsx",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    rows = {r[-1]: r for r in load_workbook(BytesIO(response.content)).worksheets[1].values}
    assert rows["login_codes"][5].startswith("7 days") and "shortened" in rows["login_codes"][5]


# --- the admin --------------------------------------------------------------------------------


def test_rectification_is_the_normal_edit_and_audited(site, client):
    world, learner, _dpo = site
    client.force_login(world.a.staff)
    page = client.get(f"/admin/people/learner/{learner.pk}/change/")
    form = page.context["adminform"].form
    data = {
        k: v
        for k, v in form.initial.items()
        if v is not None and not isinstance(v, list | dict) and k != "user"
    }
    data.update(
        {
            "provider": learner.provider_id,
            "first_name": learner.first_name,
            "last_name": "Berichtigt",
            "date_of_birth": learner.date_of_birth.isoformat(),
            "registered_on": learner.registered_on.isoformat(),
            "available_times": "[]",
            "entitlements-TOTAL_FORMS": "0",
            "entitlements-INITIAL_FORMS": "0",
        }
    )
    response = client.post(f"/admin/people/learner/{learner.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(learner).order_by("-timestamp", "-pk").first()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == world.a.staff
    assert "last_name" in entry.changes_dict


def test_admin_actions_lead_to_the_package_and_the_erasure_check(site, client):
    world, learner, _dpo = site
    client.force_login(world.a.staff)
    response = client.post(
        "/admin/people/learner/",
        {"action": "data_package", "_selected_action": [learner.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/privacy/learners/{learner.pk}/data/"
    response = client.post(
        "/admin/people/learner/",
        {"action": "erasure_request", "_selected_action": [learner.pk]},
    )
    assert response["Location"] == f"/staff/privacy/learners/{learner.pk}/"


def test_staff_manage_holds_of_their_provider_in_the_admin(site, client):
    world, learner, _dpo = site
    client.force_login(world.a.staff)
    response = client.post(
        "/admin/privacy/legalhold/add/",
        {
            "provider": world.a.provider.pk,
            "learner": learner.pk,
            "reason": "Klage vor dem Sozialgericht",
            "starts_on": "2026-01-01",
            "ends_on": "2027-01-01",
        },
    )
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert hold.created_by == world.a.staff
    client.force_login(world.b.staff)
    assert client.get(f"/admin/privacy/legalhold/{hold.pk}/change/").status_code == 302


def test_the_package_costs_the_same_queries_for_few_and_many_records(site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world, learner, _dpo = site

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            learner_data_package(learner, language="de")
        return len(queries)

    few = count()
    enrolment = learner.enrolments.get()
    for session in world.a.course.sessions.order_by("date")[1:21]:
        AttendanceRecordFactory(session=session, enrolment=enrolment)
    assert count() == few  # one query per kind of record, not per row
    # one per kind of record about a learner (billing added reminders, travel applications, test
    # fees and the InGe reports)
    assert few <= 44
