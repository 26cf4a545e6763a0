import pytest
from django.urls import reverse

from jobcenter.models import AccessLogEntry
from referrals import services
from referrals.models import DeclineReason, Referral, Status
from tests.jobcenter.helpers import api_key, auth
from tests.referrals.conftest import send

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"


@pytest.fixture
def keys(net):
    return api_key(net.w.jobcenter), api_key(net.w.other_jobcenter)


def body(net, **overrides):
    data = {
        "client_reference": "JC-2026-0001",
        "receiver": net.receiver.pk,
        "purpose": "course_type",
        "course_type": "general",
        "first_name": "Olena",
        "last_name": "Koval",
        "date_of_birth": "1985-11-20",
        "languages": "Ukrainisch, Russisch",
        "obligation": "jobcenter",
        "customer_number": "123D456789",
    }
    data.update(overrides)
    return data


def test_a_jobcenter_refers_an_obliged_client_and_a_repeat_changes_nothing(api_client, net, keys):
    first = api_client.post(URL, body(net), format="json", **auth(keys[0]))
    assert first.status_code == 201, first.json()
    data = first.json()
    assert data["status"] == "sent" and data["receiver"] == net.receiver.pk and data["sent_at"]
    again = api_client.post(URL, body(net, first_name="Changed"), format="json", **auth(keys[0]))
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    referral = Referral.objects.get()
    assert referral.first_name == "Olena" and referral.sender is None
    assert referral.sender_organisation == net.w.jobcenter
    assert AccessLogEntry.objects.filter(path=URL).count() == 2


def test_the_same_reference_of_another_jobcenter_is_another_referral(api_client, net, keys):
    api_client.post(URL, body(net), format="json", **auth(keys[0]))
    net.w.other_jobcenter.network = net.network
    net.w.other_jobcenter.save()
    second = api_client.post(
        URL,
        body(net, obligation="", consent={"items": ["identity", "languages"], "method": "paper"}),
        format="json",
        **auth(keys[1]),
    )
    assert second.status_code == 201 and Referral.objects.count() == 2


def test_without_obligation_the_consent_is_required(api_client, net, keys):
    response = api_client.post(URL, body(net, obligation=""), format="json", **auth(keys[0]))
    assert response.status_code == 400 and response.json()["code"] == "consent_required"
    response = api_client.post(
        URL,
        body(net, obligation="", consent={"items": ["identity", "languages"], "method": "paper"}),
        format="json",
        **auth(keys[0]),
    )
    assert response.status_code == 201


def test_errors_have_the_shape_and_codes(api_client, net, keys):
    bad = api_client.post(URL, {"purpose": "nonsense"}, format="json", **auth(keys[0]))
    assert bad.status_code == 400
    assert set(bad.json()) == {"code", "detail", "fields"} and "purpose" in bad.json()["fields"]
    outside = api_client.post(
        URL, body(net, receiver=net.outside.pk), format="json", **auth(keys[0])
    )
    assert outside.status_code == 400 and outside.json()["code"] == "foreign_receiver"
    unknown = api_client.post(URL, body(net, receiver=999999), format="json", **auth(keys[0]))
    assert unknown.json() == {**outside.json()}
    assert api_client.post(URL, body(net), format="json").status_code == 401
    wrong = api_client.post(URL, body(net), format="json", HTTP_AUTHORIZATION="Api-Key nope.nope")
    assert wrong.status_code == 401 and not Referral.objects.exists()


def test_status_for_the_sender_only(api_client, net, keys):
    created = api_client.post(URL, body(net), format="json", **auth(keys[0])).json()
    referral = Referral.objects.get(pk=created["id"])
    services.referral_decline(
        referral=referral,
        by=net.receiver_staff,
        reason=DeclineReason.NO_PLACES,
        receiver_note="SECRET",
    )
    mine = api_client.get(f"{URL}{referral.pk}/", **auth(keys[0]))
    assert mine.status_code == 200
    assert mine.json()["status"] == Status.DECLINED and mine.json()["decline_reason"] == "no_places"
    assert "SECRET" not in mine.content.decode()
    # another Jobcenter, an unknown id and a counsellor's referral all read 404
    counsellors = send(net)
    assert api_client.get(f"{URL}{referral.pk}/", **auth(keys[1])).status_code == 404
    assert api_client.get(f"{URL}{counsellors.pk}/", **auth(keys[0])).status_code == 404
    assert api_client.get(f"{URL}999999/", **auth(keys[0])).status_code == 404
    assert api_client.get(f"{URL}{referral.pk}/").status_code == 401


def test_staff_sessions_cannot_use_the_api(api_client, net):
    referral = send(net)
    api_client.force_login(net.receiver_staff)
    assert api_client.get(f"{URL}{referral.pk}/").status_code == 401


def test_receivers_are_the_providers_of_the_network(api_client, net, keys):
    response = api_client.get(reverse("api:referrals-receivers"), **auth(keys[0]))
    ids = {row["id"] for row in response.json()}
    assert ids == {net.receiver.pk, net.sender_org.pk}
    assert api_client.get(reverse("api:referrals-receivers"), **auth(keys[1])).json() == []


def test_the_schema_documents_the_endpoints_and_errors():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    create = schema["paths"]["/api/v1/referrals/"]["post"]
    assert {"201", "200", "400", "401", "429"} <= set(create["responses"])
    detail = schema["paths"]["/api/v1/referrals/{referral_id}/"]["get"]
    assert {"200", "401", "404", "429"} <= set(detail["responses"])


def test_the_receiver_list_pins_its_queries(api_client, net, keys, django_assert_num_queries):
    api_client.get(reverse("api:referrals-receivers"), **auth(keys[0]))
    # key, Jobcenter, providers, access log entry (savepoint, insert, release)
    with django_assert_num_queries(6):
        api_client.get(reverse("api:referrals-receivers"), **auth(keys[0]))
