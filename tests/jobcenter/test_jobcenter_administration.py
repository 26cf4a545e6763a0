"""Who administers a Jobcenter: its own administrators and named network coordinators — never
the staff of a provider by being in the Jobcenter's network (issue: a Caritas key read
DiakoMigra's learners)."""

import pytest

from core.errors import PermissionDeniedError
from jobcenter.models import AccessLogEntry, AccessLogRecord, JobcenterAPIKey
from jobcenter.services import api_key_create
from people.models import Network, Role
from tests.factories import member
from tests.jobcenter.helpers import auth


@pytest.fixture
def network(world):
    """Both providers and Jobcenter A in one county network (Jobcenter B outside it)."""
    network = Network.objects.create(name="Kreis Pinneberg")
    for organisation in (world.jobcenter, world.a.provider, world.b.provider):
        organisation.network = network
        organisation.save()
    return network


def admin_user(organisation, role):
    return member(organisation, role, is_staff=True)


def provider_admin(side):
    side.staff.is_staff = True
    side.staff.save()
    return side.staff


def test_provider_staff_in_the_network_may_not_create_keys(world, network):
    for staff in (world.a.staff, world.b.staff):
        with pytest.raises(PermissionDeniedError):
            api_key_create(jobcenter=world.jobcenter, name="Fachverfahren", by=staff)
    assert JobcenterAPIKey.objects.count() == 0


def test_the_jobcenters_own_administrator_may_and_only_for_their_jobcenter(world, network):
    it = admin_user(world.jobcenter, Role.JOBCENTER_ADMIN)
    api_key_create(jobcenter=world.jobcenter, name="Fachverfahren", by=it)
    with pytest.raises(PermissionDeniedError):
        api_key_create(jobcenter=world.other_jobcenter, name="x", by=it)
    assert list(JobcenterAPIKey.objects.values_list("jobcenter_id", flat=True)) == [
        world.jobcenter.pk
    ]


def test_a_network_coordinator_administers_the_jobcenters_of_their_network_only(world, network):
    coordinator = admin_user(world.b.provider, Role.NETWORK_COORDINATOR)
    api_key_create(jobcenter=world.jobcenter, name="Koordination", by=coordinator)
    with pytest.raises(PermissionDeniedError):  # Jobcenter B is in no network
        api_key_create(jobcenter=world.other_jobcenter, name="x", by=coordinator)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/jobcenter/jobcenterapikey/",
        "/admin/jobcenter/jobcenterapikey/add/",
        "/admin/jobcenter/accesslogentry/",
        "/admin/jobcenter/webhook/",
        "/admin/jobcenter/webhookdelivery/",
    ],
)
def test_caritas_staff_cannot_open_the_jobcenters_keys_log_or_webhooks(world, network, client, url):
    client.force_login(provider_admin(world.b))
    assert client.get(url).status_code == 403


def test_caritas_staff_can_neither_see_nor_revoke_a_key(jc, network, client):
    key = JobcenterAPIKey.objects.get(jobcenter=jc.world.jobcenter)
    client.force_login(provider_admin(jc.world.b))
    assert client.get(f"/admin/jobcenter/jobcenterapikey/{key.pk}/change/").status_code == 403
    r = client.post(
        "/admin/jobcenter/jobcenterapikey/",
        {"action": "revoke_keys", "_selected_action": [key.pk]},
    )
    assert r.status_code == 403
    key.refresh_from_db()
    assert key.revoked is False


def test_the_jobcenter_administrator_sees_the_keys_in_the_admin(jc, network, client):
    client.force_login(admin_user(jc.world.jobcenter, Role.JOBCENTER_ADMIN))
    r = client.get("/admin/jobcenter/jobcenterapikey/")
    assert r.status_code == 200
    assert list(r.context["cl"].queryset.values_list("jobcenter_id", flat=True)) == [
        jc.world.jobcenter.pk
    ]


def test_provider_staff_see_access_log_records_of_their_own_learners_only(jc, network, client):
    ask = {
        "participants": [
            {"customer_number": n, "date_of_birth": who.date_of_birth.isoformat()}
            for n, who in (("JC-1001", jc.ana),)
        ]
    }
    assert (
        client.post(
            "/api/v1/jobcenter/verifications/",
            ask,
            content_type="application/json",
            **auth(jc.key),
        ).status_code
        == 200
    )
    record = AccessLogRecord.objects.get(learner=jc.ana)
    client.force_login(provider_admin(jc.world.b))  # Caritas: ana is DiakoMigra's learner
    r = client.get("/admin/jobcenter/accesslogrecord/")
    assert r.status_code == 200
    assert list(r.context["cl"].queryset) == []
    assert client.get(f"/admin/jobcenter/accesslogrecord/{record.pk}/change/").status_code == 302
    client.force_login(provider_admin(jc.world.a))
    r = client.get("/admin/jobcenter/accesslogrecord/")
    assert list(r.context["cl"].queryset) == [record]


def test_a_key_never_returns_a_learner_without_a_link_to_its_jobcenter(jc, client):
    """cem (provider a) has no link; ben is Jobcenter B's client: Jobcenter A finds neither."""
    asked = [(jc.cem, "JC-1001"), (jc.ben, "JC-2001")]
    body = {
        "participants": [
            {"customer_number": number, "date_of_birth": who.date_of_birth.isoformat()}
            for who, number in asked
        ]
    }
    r = client.post(
        "/api/v1/jobcenter/verifications/", body, content_type="application/json", **auth(jc.key)
    )
    assert r.status_code == 200
    assert [row["found"] for row in r.json()["results"]] == [False, False]
    assert AccessLogEntry.objects.get().records == 0
