"""Erasure on request: the legal duties are checked first, what may go goes, what must stay is
restricted (hidden everywhere but for the data-protection officer), and the Jobcenter learns
only that its link ended."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from attendance.models import AttendanceRecord, LearnerCard
from enrolment.models import Enrolment, LoginCode, WaitlistWish
from internships.models import Placement
from jobcenter.models import AccessLogEntry, AccessLogRecord, JobcenterLink
from people.models import Learner, LearnerEvent, Role, User
from people.services import membership_grant
from privacy.models import DataRequest, DeletionLog, LegalHold
from privacy.services.erasure import erasure_plan, learner_erase
from tests.factories import JobcenterLinkFactory, LearnerFactory, UserFactory
from tests.jobcenter.helpers import api_key, auth, scenario
from tests.privacy.conftest import D, run

pytestmark = pytest.mark.django_db

FEED = "/api/v1/jobcenter/events/"
VERIFY = "/api/v1/jobcenter/verifications/"


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def jc(world):
    """Ana (provider a): consenting client of Jobcenter A, in a running BAMF course with five
    register rows, in a running internship, with a login, a wish, a code, a card and an access
    log entry of the Jobcenter."""
    s = scenario(world)
    s.world = world
    s.key = api_key(world.jobcenter)
    s.other_key = api_key(world.other_jobcenter)
    ana = s.ana
    ana.user = UserFactory(username="ana")
    ana.phone, ana.email, ana.street = "0176 555", "ana@example.org", "Hauptstr. 1"
    ana.save()
    WaitlistWish.objects.create(learner=ana, status="active")
    LoginCode.objects.create(
        learner=ana, code_hash="z" * 64, expires_at=timezone.now() + dt.timedelta(days=5)
    )
    LearnerCard.objects.create(learner=ana, token="card-ana")
    entry = AccessLogEntry.objects.create(
        channel="api", jobcenter=world.jobcenter, method="GET", path="/x", status_code=200
    )
    AccessLogRecord.objects.create(entry=entry, learner=ana, customer_number="JC-1001")
    return s


def feed(client, key, after=0):
    return client.get(FEED, {"after": after}, **auth(key)).json()


def test_the_plan_keeps_the_running_bamf_records_and_deletes_the_rest(jc):
    plan = erasure_plan(learner=jc.ana)
    outcome = {(line.model, line.outcome): line.count for line in plan.lines}
    assert outcome[("attendance.AttendanceRecord", "keep")] == 5
    assert outcome[("enrolment.Enrolment", "keep")] == 1
    assert outcome[("enrolment.WaitlistWish", "delete")] == 1
    assert outcome[("enrolment.LoginCode", "delete")] == 1
    assert outcome[("jobcenter.AccessLogRecord", "delete")] == 1
    assert outcome[("internships.Placement", "anonymise")] == 1
    kept = next(line for line in plan.lines if line.model == "enrolment.Enrolment")
    end = jc.course.end_date  # planned: the 5 years run from the end of the course
    assert kept.until == D(end.year + 5, end.month, end.day) + dt.timedelta(days=1)
    assert (plan.open_links, plan.active_enrolments, plan.running_placements) == (1, 1, 1)
    assert plan.keeps


def test_erasure_with_a_running_bamf_module_restricts_instead_of_deleting(jc, api_client):
    ana, staff = jc.ana, jc.world.a.staff
    cursor = feed(api_client, jc.key)["next_cursor"]
    result = learner_erase(learner=ana, by=staff)

    assert not result.learner_deleted and result.jobcenters_told == 1
    assert not Learner.objects.filter(pk=ana.pk).exists()  # hidden from every door
    kept = Learner.all_objects.get(pk=ana.pk)
    assert kept.restricted_at is not None
    assert (kept.first_name, kept.last_name) == (ana.first_name, ana.last_name)  # BAMF needs it
    assert (kept.phone, kept.email, kept.street, kept.user_id) == ("", "", "", None)
    assert not User.objects.filter(username="ana").exists()
    enrolment = Enrolment.objects.get(pk=jc.ana_enrolment.pk)
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    assert AttendanceRecord.objects.filter(enrolment=enrolment).count() == 5
    assert not WaitlistWish.objects.filter(learner_id=ana.pk).exists()
    assert not LoginCode.objects.filter(learner_id=ana.pk).exists()
    assert not LearnerCard.objects.filter(learner_id=ana.pk).exists()
    assert not AccessLogRecord.objects.filter(learner_id=ana.pk).exists()
    assert not JobcenterLink.objects.filter(learner_id=ana.pk).exists()
    placement = Placement.objects.get(learner_id=ana.pk)
    assert placement.status == Placement.Status.ABORTED and placement.abort_reason == ""
    events = list(LearnerEvent.objects.filter(learner_id=ana.pk).values_list("type", flat=True))
    assert events == ["link_ended"]  # the withdrawal and internship events did not stay

    # The Jobcenter reads that the link ended: its own customer number, no reason, no data.
    page = feed(api_client, jc.key, after=cursor)
    assert [(e["type"], e["customer_number"], e["data"]) for e in page["results"]] == [
        ("link_ended", "JC-1001", {})
    ]
    assert all(e["type"] != "link_ended" for e in feed(api_client, jc.other_key)["results"])
    answer = api_client.post(
        VERIFY,
        {"participants": [{"customer_number": "JC-1001", "date_of_birth": str(ana.date_of_birth)}]},
        format="json",
        **auth(jc.key),
    ).json()
    assert answer["results"][0]["found"] is False

    request = DataRequest.objects.get(kind="erasure")
    assert request.handled_by == staff and request.learner_id == ana.pk
    logged = set(
        DeletionLog.objects.filter(source="erasure").values_list("model", "action", "count")
    )
    assert ("attendance.AttendanceRecord", "restricted", 5) in logged
    assert ("enrolment.WaitlistWish", "deleted", 1) in logged


def test_a_learner_with_nothing_to_keep_is_deleted(world):
    learner = LearnerFactory(provider=world.a.provider)
    WaitlistWish.objects.create(learner=learner, status="active")
    result = learner_erase(learner=learner, by=world.a.staff)
    assert result.learner_deleted
    assert not Learner.all_objects.filter(pk=learner.pk).exists()
    request = DataRequest.objects.get()
    assert request.learner_id is None and request.outcome  # counts, no link to the person


def test_a_never_seated_enrolment_is_anonymised_for_the_figures(jc):
    cem = jc.cem  # enrolled in the running course, no register rows yet
    result = learner_erase(learner=jc.cem, by=jc.world.a.staff)
    assert not result.learner_deleted
    shell = Learner.all_objects.get(pk=cem.pk)
    assert (shell.first_name, shell.last_name, shell.date_of_birth) == ("", "", None)
    enrolment = Enrolment.objects.get(learner_id=cem.pk)
    assert (enrolment.status, enrolment.created_by_id) == ("withdrawn", None)


def test_a_linked_learner_with_nothing_to_keep_leaves_only_the_notice(world):
    learner = LearnerFactory(provider=world.a.provider)
    link = JobcenterLinkFactory(
        learner=learner,
        jobcenter=world.jobcenter,
        customer_number="JC-3003",
        consent_given_on=D(2024, 1, 1),
        consent_scope="enrolment",
    )
    result = learner_erase(learner=learner, by=world.a.staff)
    shell = Learner.all_objects.get(pk=learner.pk)
    assert not result.learner_deleted and result.jobcenters_told == 1
    assert (shell.first_name, shell.last_name, shell.date_of_birth) == ("", "", None)
    assert not JobcenterLink.objects.filter(pk=link.pk).exists()
    notice = LearnerEvent.objects.get(learner_id=learner.pk)
    assert (notice.type, notice.data) == (
        "link_ended",
        {"jobcenter_id": world.jobcenter.pk, "customer_number": "JC-3003"},
    )
    # The retention job removes the shell once the notice period (3 months) is over.
    erased = timezone.localdate(shell.restricted_at)
    three_months = D(erased.year + (erased.month + 2) // 12, (erased.month + 2) % 12 + 1, 1)
    run(erased + dt.timedelta(days=27))
    assert Learner.all_objects.filter(pk=learner.pk).exists()
    run(three_months + dt.timedelta(days=31))
    assert not Learner.all_objects.filter(pk=learner.pk).exists()


def test_a_legal_hold_on_the_learner_keeps_everything_only_hidden(jc):
    LegalHold.objects.create(
        provider=jc.world.a.provider,
        learner=jc.ana,
        reason="Klage",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
    )
    learner_erase(learner=jc.ana, by=jc.world.a.staff)
    kept = Learner.all_objects.get(pk=jc.ana.pk)
    assert kept.restricted_at is not None and kept.phone == "0176 555"
    assert WaitlistWish.objects.filter(learner_id=jc.ana.pk).exists()
    assert AccessLogRecord.objects.filter(learner_id=jc.ana.pk).exists()
    assert not Learner.objects.filter(pk=jc.ana.pk).exists()


def test_restricted_records_are_anonymised_when_the_duty_ends(old):
    learner_erase(learner=old.learner, by=old.a.staff, today=D(2020, 1, 10))
    kept = Learner.all_objects.get(pk=old.learner.pk)
    assert kept.restricted_at is not None and kept.last_name == old.learner.last_name
    run(D(2024, 7, 26))  # the course ended 26.07.2019: five years to go
    assert Learner.all_objects.get(pk=old.learner.pk).last_name == old.learner.last_name
    run(D(2024, 7, 27))
    assert Learner.all_objects.get(pk=old.learner.pk).last_name == ""


def test_only_staff_of_the_provider_may_erase_and_only_once(jc):
    from core.errors import DomainError

    with pytest.raises(DomainError):
        learner_erase(learner=jc.ana, by=jc.world.b.staff)
    learner_erase(learner=jc.ana, by=jc.world.a.staff)
    with pytest.raises(DomainError) as again:
        learner_erase(learner=jc.ana, by=jc.world.a.staff)
    assert again.value.code == "erased"


def test_restricted_learners_vanish_from_staff_pages_api_and_admin(jc, client, api_client):
    a = jc.world.a
    learner_erase(learner=jc.ana, by=a.staff)
    client.force_login(a.staff)
    assert client.get(f"/attendance/learners/{jc.ana.pk}/").status_code == 404
    assert client.get(f"/admin/people/learner/{jc.ana.pk}/change/").status_code == 302
    changelist = client.get("/admin/people/learner/")
    assert jc.ana.last_name not in changelist.content.decode()
    enrolments = client.get("/admin/enrolment/enrolment/")
    assert f"/admin/enrolment/enrolment/{jc.ana_enrolment.pk}/" not in enrolments.content.decode()
    assert client.get(f"/staff/privacy/learners/{jc.ana.pk}/").status_code == 404
    api_client.force_login(a.staff)
    assert api_client.get(f"/api/v1/enrolments/{jc.ana_enrolment.pk}/").status_code == 404

    dpo = UserFactory(username="dpo-a")
    membership_grant(user=dpo, organisation=a.provider, role=Role.DATA_PROTECTION_OFFICER)
    client.force_login(dpo)
    page = client.get(f"/staff/privacy/learners/{jc.ana.pk}/")
    assert page.status_code == 200 and jc.ana.last_name in page.content.decode()
    listing = client.get("/staff/privacy/restricted/")
    assert jc.ana.last_name in listing.content.decode()


def test_the_link_ended_notice_goes_to_the_jobcenters_webhook_only(jc):
    from jobcenter.models import Webhook, WebhookDelivery
    from jobcenter.services import webhooks_dispatch_event

    mine = Webhook.objects.create(
        jobcenter=jc.world.jobcenter, url="https://a.example/h", secret="s"
    )
    Webhook.objects.create(
        jobcenter=jc.world.other_jobcenter, url="https://b.example/h", secret="s"
    )
    learner_erase(learner=jc.ana, by=jc.world.a.staff)
    notice = LearnerEvent.objects.get(learner_id=jc.ana.pk, type="link_ended")
    created = webhooks_dispatch_event(event_id=notice.pk)
    assert [d.webhook_id for d in WebhookDelivery.objects.filter(pk__in=created)] == [mine.pk]


def test_the_restricted_list_query_count_is_pinned(jc, client, django_assert_num_queries):
    from tests.factories import member

    dpo = member(jc.world.a.provider, Role.DATA_PROTECTION_OFFICER, username="dpo-list")
    learner_erase(learner=jc.ana, by=jc.world.a.staff)
    learner_erase(learner=jc.cem, by=jc.world.a.staff)
    client.force_login(dpo)
    client.get("/staff/privacy/restricted/")
    with django_assert_num_queries(4):  # session, user, memberships, the list
        page = client.get("/staff/privacy/restricted/")
    assert page.status_code == 200
