"""The network directory: postcode order, language and service filters, only public facts, the
query count, the staff's edit pages (tenancy), the counsellor's pick and the catalogue link."""

from __future__ import annotations

import re
from datetime import time

import pytest
from django.urls import reverse
from django.utils.html import escape

from courses.models import Course
from people.models import Location, OpeningHours, Role, Service
from people.services import OpeningPeriod, location_directory_update
from referrals.directory.selectors import Nearness, nearness, normalised_postcode
from tests.factories import LearnerFactory, LocationFactory, UserFactory, member
from tests.learner_area.test_languages import english_fallback, texts_of, untranslated_msgids

pytestmark = pytest.mark.django_db

URL = "/network/"
__all__ = ["english_fallback"]  # the fixture, used by name


def listed(html: str) -> list[int]:
    """The locations the page lists, in their order."""
    return [int(pk) for pk in re.findall(r'id="location-(\d+)"', html)]


@pytest.fixture
def places(net):
    """Four places of the network around Pinneberg (25421), and the world's two houses, which
    are taken out of the directory so the order below is the whole list."""
    Location.objects.filter(pk__in=[net.w.a.location.pk, net.w.b.location.pk]).update(
        in_directory=False
    )

    def place(org, name, postcode, town, **extra):
        return LocationFactory(organisation=org, name=name, postcode=postcode, town=town, **extra)

    return {
        # lies in Elmshorn but is the counselling service responsible for Pinneberg
        "serves": place(
            net.receiver, "Beratung Nord", "25335", "Elmshorn", served_postcodes=["25421"]
        ),
        "area": place(net.sender_org, "Kursraum Uetersen", "25436", "Uetersen", languages=["ar"]),
        "region": place(
            net.receiver, "Zentrum Elmshorn", "25337", "Elmshorn", languages=["uk", "ar"]
        ),
        "elsewhere": place(
            net.sender_org,
            "Lernhaus Wedel",
            "22880",
            "Wedel",
            languages=["fa"],
            services=[Service.LANGUAGE_CAFE],
        ),
    }


@pytest.mark.parametrize(
    ("postcode", "own", "served", "expected"),
    [
        ("25421", "25335", ["25421"], Nearness.SERVES),
        ("25421", "25335", ["254"], Nearness.SERVES),  # a prefix serves every 254xx
        ("25421", "25421", [], Nearness.SERVES),  # its own postcode
        ("25421", "25436", [], Nearness.AREA),
        ("25421", "22880", ["25469"], Nearness.AREA),  # a served postcode is near too
        ("25421", "25337", [], Nearness.REGION),
        ("25421", "22880", [], Nearness.NETWORK),
        ("25421", "", [], Nearness.NETWORK),
        ("", "25421", ["25421"], Nearness.NETWORK),  # no postcode: no order
        ("254", "25436", [], Nearness.AREA),  # the first digits only
        ("25", "25436", [], Nearness.REGION),
    ],
)
def test_the_postcode_rule(postcode, own, served, expected):
    assert nearness(postcode=postcode, own=own, served=served) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("25421", "25421"), ("D-25421", "25421"), (" 25 421 ", "25421"), ("2", ""), ("123456", "")],
)
def test_typed_postcodes(typed, expected):
    assert normalised_postcode(typed) == expected


def test_nearest_first_by_the_persons_postcode(client, places):
    html = client.get(URL, {"postcode": "25421"}).content.decode()
    assert listed(html) == [
        places["serves"].pk,
        places["area"].pk,
        places["region"].pk,
        places["elsewhere"].pk,
    ]
    assert "Serves your postcode" in html or "Ihre Postleitzahl" in html


def test_without_a_postcode_by_town_then_name(client, places):
    html = client.get(URL).content.decode()
    # Elmshorn (Beratung Nord, Zentrum Elmshorn), Uetersen, Wedel
    assert listed(html) == [
        places["serves"].pk,
        places["region"].pk,
        places["area"].pk,
        places["elsewhere"].pk,
    ]


def test_a_wrong_postcode_is_said_and_the_list_stays(client, places):
    response = client.get(URL, {"postcode": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Enter a postcode: five digits, e.g. 25421." in response.content.decode()
    assert len(listed(response.content.decode())) == 4


def test_the_language_filter(client, places):
    arabic = listed(client.get(URL, {"language": "ar", "postcode": "25421"}).content.decode())
    assert arabic == [places["area"].pk, places["region"].pk]
    # German is spoken everywhere
    german = listed(client.get(URL, {"language": "de"}).content.decode())
    assert sorted(german) == sorted(p.pk for p in places.values())
    assert listed(client.get(URL, {"language": "so"}).content.decode()) == []


def test_the_language_choice_names_each_language_in_itself(client, places):
    html = client.get(URL).content.decode()
    assert '<option value="ar" lang="ar">العربيّة</option>' in html
    assert '<option value="uk" lang="uk">Українська</option>' in html
    assert '<option value="fa" lang="fa">فارسی</option>' in html


def test_the_service_filter(client, places):
    found = listed(client.get(URL, {"service": Service.LANGUAGE_CAFE}).content.decode())
    assert found == [places["elsewhere"].pk]


def test_courses_offered_come_from_the_catalogue_and_the_declared_list(client, net, places):
    course = net.w.a.course
    Course.objects.filter(pk=course.pk).update(location=places["region"], status="open")
    Location.objects.filter(pk=places["elsewhere"].pk).update(course_types=[])
    Location.objects.filter(pk=places["area"].pk).update(course_types=[course.course_type.code])
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    cards = dict(zip(listed(html), html.split('id="location-')[1:], strict=True))
    assert course.course_type.name in cards[places["region"].pk]
    assert f"?location={places['region'].pk}" in cards[places["region"].pk]  # to the catalogue
    assert course.course_type.name in cards[places["area"].pk]  # declared, no course now
    assert f"?location={places['area'].pk}" not in cards[places["area"].pk]
    assert course.course_type.name not in cards[places["elsewhere"].pk]


def test_the_public_page_shows_no_personal_data(client, net, places):
    LearnerFactory(
        provider=net.receiver, first_name="Zuleikha", last_name="Qasemi", phone="0176 5550199"
    )
    staff = member(
        net.receiver,
        Role.STAFF,
        username="anke-l",
        first_name="Anke",
        last_name="Lorenzen",
        email="anke.lorenzen@diakonie.example",
    )
    response = client.get(URL, {"postcode": "25421"})
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Zuleikha", "Qasemi", "0176 5550199", "Lorenzen", staff.username, staff.email):
        assert text not in html
    for user in (net.w.a.staff, net.w.a.teacher, net.counsellor):
        assert user.username not in html
    assert "Beratung Nord" in html  # the public facts are there
    assert "/referrals/new/" not in html  # no "refer here" for the public


def test_the_public_list_pins_its_queries(client, net, places, django_assert_num_queries):
    for location in places.values():
        OpeningHours.objects.create(
            location=location, weekday=0, opens=time(9), closes=time(12), note="offen"
        )
    Location.objects.update(course_types=["general"])
    # locations, their hours, current courses, declared course types: 4 queries however many
    with django_assert_num_queries(4):
        assert client.get(URL, {"postcode": "25421"}).status_code == 200
    for n in range(6):
        location = LocationFactory(organisation=net.receiver, name=f"Mehr {n}", postcode="25421")
        OpeningHours.objects.create(location=location, weekday=1, opens=time(9), closes=time(11))
    with django_assert_num_queries(4):
        html = client.get(URL, {"postcode": "25421"}).content.decode()
    assert len(listed(html)) == 10


def test_the_page_works_in_arabic_right_to_left(client, places):
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert '<bdi lang="de">' in html  # German place names are isolated


def test_the_catalogue_links_to_the_directory(client, net):
    html = client.get(reverse("catalogue")).content.decode()
    assert f'href="{URL}"' in html


# -- the counsellor picks a place ---------------------------------------------------------------


def test_a_counsellor_refers_from_the_directory(client, net, places):
    client.force_login(net.counsellor)
    html = client.get(URL).content.decode()
    pick = f"/referrals/new/?receiver={net.receiver.pk}&amp;location={places['serves'].pk}"
    assert pick in html
    response = client.get("/referrals/new/", {"location": places["serves"].pk})
    assert response.status_code == 200
    assert response.context["form"].initial["receiver"] == net.receiver.pk
    assert "Beratung Nord" in response.content.decode()
    assert f'href="{URL}"' in response.content.decode()


def test_a_place_outside_the_network_is_not_offered_to_refer_to(client, net, places):
    outside = LocationFactory(organisation=net.outside, name="Anderswo", postcode="25421")
    client.force_login(net.counsellor)
    html = client.get(URL).content.decode()
    assert outside.pk in listed(html)  # public facts: listed
    assert f"receiver={net.outside.pk}" not in html
    response = client.get("/referrals/new/", {"location": outside.pk})
    assert "receiver" not in response.context["form"].initial
    assert "Anderswo" not in response.content.decode()


# -- staff keep their own entries ---------------------------------------------------------------


def edit_url(location: Location) -> str:
    return reverse("directory-location-edit", args=[location.pk])


def entry_post(**overrides) -> dict:
    data = {
        "in_directory": "on",
        "phone": "04101 123",
        "step_free": "on",
        "lift": "on",
        "languages": "ar, Persisch, uk",
        "services": [Service.MBE, Service.LANGUAGE_CAFE],
        "served_postcodes": "25421, 254",
        "directory_note": "Sprechstunde ohne Termin",
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "0",
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
        "hours-0-weekday": "1",
        "hours-0-opens": "09:00",
        "hours-0-closes": "12:30",
        "hours-0-note": "offen",
        "hours-1-weekday": "",
        "hours-1-opens": "",
        "hours-1-closes": "",
        "hours-1-note": "",
    }
    data.update(overrides)
    return data


def test_staff_edit_their_own_locations_entry(client, net):
    location = net.w.a.location
    client.force_login(net.w.a.staff)
    listing = client.get(reverse("directory-locations"))
    assert listing.status_code == 200
    assert location.name in listing.content.decode()
    assert net.w.b.location.name not in listing.content.decode()
    assert client.get(edit_url(location)).status_code == 200
    response = client.post(edit_url(location), entry_post())
    assert response.status_code == 302
    location.refresh_from_db()
    assert location.languages == ["ar", "fa", "uk"]
    assert location.services == [Service.MBE, Service.LANGUAGE_CAFE]
    assert location.served_postcodes == ["25421", "254"]
    assert (location.step_free, location.lift, location.accessible_toilet) == (True, True, False)
    assert [(h.weekday, h.opens, h.closes, h.note) for h in location.opening_hours.all()] == [
        (1, time(9), time(12, 30), "offen")
    ]


def test_wrong_entries_are_refused_with_a_reason(client, net):
    location = net.w.a.location
    client.force_login(net.w.a.staff)
    for field, value in [
        ("languages", "ar, Klingonisch"),
        ("served_postcodes", "25421, Pinneberg"),
        ("hours-0-closes", "08:00"),
    ]:
        response = client.post(edit_url(location), entry_post(**{field: value}))
        assert response.status_code == 200, field
    location.refresh_from_db()
    assert location.languages == [] and not location.opening_hours.exists()


def test_the_service_refuses_what_the_form_would(net):
    from core.errors import DomainError

    location = net.w.a.location
    with pytest.raises(DomainError):
        location_directory_update(location=location, values={"languages": ["xx"]}, hours=[])
    with pytest.raises(DomainError):
        location_directory_update(location=location, values={"name": "Neu"}, hours=[])
    with pytest.raises(DomainError):
        location_directory_update(
            location=location,
            values={},
            hours=[OpeningPeriod(weekday=0, opens=time(12), closes=time(9))],
        )
    location.refresh_from_db()
    assert location.name == "Diakonie Haus" and not location.opening_hours.exists()


def test_outsiders_cannot_edit(client, net):
    location = net.w.a.location
    learner_user = UserFactory(username="learner-x")
    LearnerFactory(provider=net.receiver, user=learner_user)
    volunteer = member(net.receiver, Role.VOLUNTEER, username="volunteer-x")
    # another provider's staff: the location does not exist for them
    client.force_login(net.w.b.staff)
    assert client.get(edit_url(location)).status_code == 404
    assert client.post(edit_url(location), entry_post()).status_code == 404
    # no staff role anywhere: refused
    for user in (
        net.w.a.teacher,
        learner_user,
        net.w.caseworker,
        volunteer,
        net.counsellor,
    ):
        client.force_login(user)
        assert client.get(reverse("directory-locations")).status_code == 403, user
        assert client.get(edit_url(location)).status_code == 403, user
        assert client.post(edit_url(location), entry_post()).status_code == 403, user
    client.logout()
    assert client.get(edit_url(location)).status_code == 302  # to the login
    location.refresh_from_db()
    assert location.languages == [] and location.phone == ""


def test_the_staff_list_pins_its_queries(client, net, django_assert_num_queries):
    client.force_login(net.w.a.staff)
    client.get(reverse("directory-locations"))
    with django_assert_num_queries(4) as ctx:
        client.get(reverse("directory-locations"))
    counted = len(ctx.captured_queries)
    for n in range(5):
        LocationFactory(organisation=net.receiver, name=f"Mehr {n}")
    with django_assert_num_queries(counted):
        html = client.get(reverse("directory-locations")).content.decode()
    assert html.count("/network/locations/") >= 6


def test_the_staff_menu_links_their_directory_entries(client, net):
    from core.navigation import nav_links

    url = reverse("directory-locations")
    assert url in [link.url for link in nav_links(net.w.a.staff)]
    learner_user = UserFactory(username="learner-nav")
    LearnerFactory(provider=net.receiver, user=learner_user)
    volunteer = member(net.receiver, Role.VOLUNTEER, username="volunteer-nav")
    for user in (net.w.a.teacher, learner_user, net.w.caseworker, volunteer, net.counsellor):
        assert url not in [link.url for link in nav_links(user)], user
    client.force_login(net.w.a.staff)
    assert f'href="{url}"' in client.get(reverse("staff-dashboard")).content.decode()


@pytest.mark.parametrize("language", ["ar", "fa", "uk", "tr", "ru"])
def test_every_state_of_the_directory_speaks_the_language(
    client, net, places, english_fallback, language
):
    """Search results with every badge, a wrong postcode and no match: no string of ours left in
    English; what staff typed (names, opening-hours note, directory note) is marked German."""
    serves = places["serves"]
    Location.objects.filter(pk=serves.pk).update(
        directory_note="Sprechstunde ohne Termin", step_free=True, lift=True, childcare=True
    )
    OpeningHours.objects.create(
        location=serves, weekday=1, opens=time(9), closes=time(12), note="offene Sprechstunde"
    )
    missing = untranslated_msgids(language)
    pages = {
        "near": client.get(URL, {"postcode": "25421"}, HTTP_ACCEPT_LANGUAGE=language),
        "wrong": client.get(URL, {"postcode": "x"}, HTTP_ACCEPT_LANGUAGE=language),
        "none": client.get(
            URL, {"language": "ar", "service": Service.LANGUAGE_CAFE}, HTTP_ACCEPT_LANGUAGE=language
        ),
    }
    for state, response in pages.items():
        html = response.content.decode()
        assert response.status_code == 200, state
        assert f'lang="{language}"' in html[:200], state
        assert texts_of(html) & missing == set(), (language, state)
    html = pages["near"].content.decode()
    for text in (
        "Beratung Nord",
        str(net.receiver),
        "Sprechstunde ohne Termin",
        "offene Sprechstunde",
    ):
        assert f'<bdi lang="de">{escape(text)}</bdi>' in html, text
    assert 'id="location-' not in pages["none"].content.decode()
