"""The place picked in the network directory is stored on the referral (``receiver_location``)
and must belong to the receiving provider; page, service and API refuse another's."""

import pytest
from django.urls import reverse

from referrals.models import DataItem, Referral
from referrals.services import ReferralError
from tests.factories import LocationFactory
from tests.jobcenter.helpers import api_key, auth
from tests.referrals.conftest import send

pytestmark = pytest.mark.django_db
#: The refusal as the (German) site says it.
REFUSED = "Wählen Sie einen Standort des aufnehmenden Trägers."


@pytest.fixture
def places(net):
    return {
        "receivers": LocationFactory(organisation=net.receiver, name="Beratung Nord"),
        "senders": LocationFactory(organisation=net.sender_org, name="Kursraum Uetersen"),
        "outside": LocationFactory(organisation=net.outside, name="Anderswo"),
    }


def page_data(net, location) -> dict:
    return {
        "receiver": net.receiver.pk,
        "receiver_location": location.pk,
        "purpose": "placement_test",
        "first_name": "Amal",
        "last_name": "Haddad",
        "date_of_birth": "1990-04-02",
        "consent_items": [DataItem.IDENTITY],
        "consent_method": "paper",
    }


def test_the_service_stores_a_location_of_the_receiver(net, places):
    referral = send(net, receiver_location=places["receivers"])
    referral.refresh_from_db()
    assert referral.receiver_location_id == places["receivers"].pk


@pytest.mark.parametrize("key", ["senders", "outside"])
def test_the_service_refuses_another_providers_location(net, places, key):
    with pytest.raises(ReferralError) as caught:
        send(net, receiver_location=places[key])
    assert caught.value.code == "foreign_location"
    assert caught.value.field == "receiver_location"
    assert not Referral.objects.exists()


def test_refer_here_preselects_the_place_and_the_referral_keeps_it(client, net, places):
    client.force_login(net.counsellor)
    shown = client.get(reverse("referrals-new"), {"location": places["receivers"].pk})
    assert shown.status_code == 200
    assert shown.context["form"].initial["receiver_location"] == places["receivers"].pk
    response = client.post(reverse("referrals-new"), page_data(net, places["receivers"]))
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.receiver_location_id == places["receivers"].pk
    # the sender sees the place
    html = client.get(reverse("referrals-detail", args=[referral.pk])).content.decode()
    assert '<dd id="receiver-location">Beratung Nord, Elmshorn</dd>' in html
    # and so does the receiver
    client.force_login(net.receiver_staff)
    html = client.get(reverse("referrals-inbox-detail", args=[referral.pk])).content.decode()
    assert '<dd id="receiver-location">Beratung Nord, Elmshorn</dd>' in html


def test_the_page_refuses_a_location_of_another_provider(client, net, places):
    client.force_login(net.counsellor)
    response = client.post(reverse("referrals-new"), page_data(net, places["senders"]))
    assert response.status_code == 200
    assert response.context["form"].errors["receiver_location"] == [REFUSED]
    assert not Referral.objects.exists()
    # a place outside the network is not even offered
    response = client.post(reverse("referrals-new"), page_data(net, places["outside"]))
    assert response.status_code == 200 and "receiver_location" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_without_a_location_the_detail_pages_say_nothing_of_it(client, net):
    referral = send(net)
    client.force_login(net.counsellor)
    html = client.get(reverse("referrals-detail", args=[referral.pk])).content.decode()
    assert 'id="receiver-location"' not in html


# -- API ----------------------------------------------------------------------------------------

URL = "/api/v1/referrals/"


def body(net, **overrides):
    data = {
        "client_reference": "JC-LOC-1",
        "receiver": net.receiver.pk,
        "purpose": "placement_test",
        "first_name": "Olena",
        "last_name": "Koval",
        "date_of_birth": "1985-11-20",
        "obligation": "jobcenter",
    }
    data.update(overrides)
    return data


def test_the_api_accepts_a_location_of_the_receiver(api_client, net, places):
    key = api_key(net.w.jobcenter)
    response = api_client.post(
        URL, body(net, receiver_location=places["receivers"].pk), format="json", **auth(key)
    )
    assert response.status_code == 201, response.json()
    assert response.json()["receiver_location"] == places["receivers"].pk
    assert Referral.objects.get().receiver_location_id == places["receivers"].pk
    without = api_client.post(
        URL, body(net, client_reference="JC-LOC-2"), format="json", **auth(key)
    )
    assert without.status_code == 201 and without.json()["receiver_location"] is None


def test_the_api_refuses_another_providers_location_naming_the_field(api_client, net, places):
    key = api_key(net.w.jobcenter)
    refused = api_client.post(
        URL, body(net, receiver_location=places["senders"].pk), format="json", **auth(key)
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "foreign_location",
        "detail": REFUSED,
        "fields": {"receiver_location": [REFUSED]},
    }
    unknown = api_client.post(URL, body(net, receiver_location=999999), format="json", **auth(key))
    assert unknown.status_code == 400 and unknown.json() == refused.json()
    assert not Referral.objects.exists()


def test_the_schema_documents_the_location():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    create = schema["paths"]["/api/v1/referrals/"]["post"]
    assert "foreign_location" in create["description"]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    field = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert field["receiver_location"]["type"] == "integer"
    assert field["receiver_location"]["nullable"] is True
    assert "receiver_location" not in schema["components"]["schemas"][ref.rsplit("/", 1)[1]].get(
        "required", []
    )
