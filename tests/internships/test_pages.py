"""Staff pages and API for internships: scoped to the provider; outsiders get 404."""

import datetime as dt

import pytest

from internships.models import Employer, InternshipWish, Placement
from internships.selectors import internship_suggestions
from internships.services import internship_wish_save
from tests.factories import EmployerFactory, LearnerFactory
from tests.internships.helpers import propose

pytestmark = pytest.mark.django_db
START = dt.date(2026, 3, 2)


@pytest.fixture
def placement(world):
    a = world.a
    return propose(a.learners[2], EmployerFactory(provider=a.provider), start=START)


def test_staff_pages_render(client, world, placement):
    client.force_login(world.a.staff)
    for url in (
        "/internships/",
        "/internships/employers/",
        f"/internships/employers/{placement.employer_id}/",
        "/internships/placements/new/",
        f"/internships/placements/{placement.pk}/",
        f"/internships/placements/{placement.pk}/edit/",
        "/internships/suggestions/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        assert placement.learner.last_name in client.get("/internships/").content.decode()


def test_outsiders_get_404(client, world, placement):
    for user in (world.b.staff, world.a.teacher, world.caseworker):
        client.force_login(user)
        for url in (
            f"/internships/placements/{placement.pk}/",
            f"/internships/placements/{placement.pk}/edit/",
            f"/internships/employers/{placement.employer_id}/",
        ):
            assert client.get(url).status_code == 404, (user, url)
        for action in ("agree", "abort", "certificate"):
            r = client.post(f"/internships/placements/{placement.pk}/{action}/", {"reason": "x"})
            assert r.status_code == 404
    client.force_login(world.b.staff)
    assert placement.learner.last_name not in client.get("/internships/").content.decode()
    assert Placement.objects.get(pk=placement.pk).status == "proposed"


def test_non_staff_get_404_on_lists(client, world):
    client.force_login(world.a.teacher)
    for url in ("/internships/", "/internships/employers/", "/internships/suggestions/"):
        assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, placement):
    r = client.get(f"/internships/placements/{placement.pk}/")
    assert r.status_code == 302 and "/login/" in r.url


def test_create_placement_through_the_page(client, world):
    a = world.a
    emp = EmployerFactory(provider=a.provider)
    client.force_login(a.staff)
    r = client.post(
        "/internships/placements/new/",
        {
            "learner": a.learners[0].pk,
            "employer": emp.pk,
            "type": "trial_work",
            "start_date": "2026-03-02",
            "end_date": "2026-03-06",
            "weekdays": ["0", "1", "2", "3", "4"],
            "daily_hours": "8",
            "supervisor_name": "Herr Yilmaz",
        },
    )
    placement = Placement.objects.get(learner=a.learners[0])
    assert r.status_code == 302
    assert placement.hours_per_week == 40
    assert placement.created_by == a.staff


def test_page_form_offers_only_own_learners_and_employers(client, world):
    EmployerFactory(provider=world.a.provider, name="Eigenbetrieb")
    EmployerFactory(provider=world.b.provider, name="Fremdbetrieb")
    LearnerFactory(provider=world.a.provider, last_name="Eigenlernerin")
    LearnerFactory(provider=world.b.provider, last_name="Fremdlernerin")
    client.force_login(world.a.staff)
    r = client.get("/internships/placements/new/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Eigenbetrieb" in html and "Fremdbetrieb" not in html
    assert "Eigenlernerin" in html and "Fremdlernerin" not in html


def test_employer_created_through_the_page_belongs_to_the_provider(client, world):
    client.force_login(world.a.staff)
    r = client.post(
        "/internships/employers/",
        {"name": "Spedition Nord", "sector": "Logistik", "places_offered": "2", "active": "on"},
    )
    assert r.status_code == 302
    assert Employer.objects.get(name="Spedition Nord").provider == world.a.provider


def test_suggestions_match_sector_level_location_and_free_places(world):
    a = world.a
    learner = a.learners[0]
    internship_wish_save(
        learner=learner, sector="Pflege", by=None, language_level="B1", town="Pinneberg"
    )
    near = EmployerFactory(
        provider=a.provider, name="Sonnenhof", sector="Altenpflege", min_level="A2"
    )
    far = EmployerFactory(provider=a.provider, name="Seeblick", sector="Pflege", town="Kiel")
    EmployerFactory(
        provider=a.provider, name="Klinik", sector="Pflege", min_level="B2"
    )  # level too high
    EmployerFactory(provider=a.provider, name="Lager", sector="Logistik")  # other sector
    EmployerFactory(provider=world.b.provider, name="Fremd", sector="Pflege")  # other provider
    full = EmployerFactory(provider=a.provider, name="Voll", sector="Pflege", places_offered=1)
    other = propose(a.learners[1], full, start=START)
    from internships.services import placement_agree

    placement_agree(placement=other, by=None)
    suggestions = internship_suggestions(user=a.staff)
    assert [(s.wish.learner, s.employer) for s in suggestions] == [(learner, near), (learner, far)]
    assert suggestions[0].score == 3 and len(suggestions[0].reasons) == 3  # + same town
    assert suggestions[1].score == 2 and len(suggestions[1].reasons) == 1  # sector only
    assert internship_suggestions(user=world.b.staff) == []


def test_suggestions_page_records_a_wish(client, world):
    client.force_login(world.a.staff)
    learner = world.a.learners[0]
    r = client.post(
        "/internships/suggestions/",
        {
            "learner": learner.pk,
            "sector": "Gastronomie",
            "language_level": "A2",
            "town": "Elmshorn",
        },
    )
    assert r.status_code == 302
    assert InternshipWish.objects.get(learner=learner).sector == "Gastronomie"
    client.force_login(world.b.staff)
    r = client.post("/internships/suggestions/", {"learner": learner.pk, "sector": "Bau"})
    assert r.status_code == 200  # the form refuses a foreign learner
    assert InternshipWish.objects.get(learner=learner).sector == "Gastronomie"


def test_placement_list_api_is_scoped_and_pinned(api_client, world, django_assert_num_queries):
    a = world.a
    emp = EmployerFactory(provider=a.provider)
    for learner in a.learners:
        propose(learner, emp, start=START)
    propose(world.b.learners[0], EmployerFactory(provider=world.b.provider), start=START)
    api_client.force_authenticate(a.staff)
    with django_assert_num_queries(3):  # memberships, count, page (learner and employer joined)
        r = api_client.get("/api/v1/internships/placements/")
    assert r.status_code == 200
    assert r.json()["count"] == 3
    api_client.force_authenticate(world.b.staff)
    assert api_client.get("/api/v1/internships/placements/").json()["count"] == 1
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/internships/placements/").status_code == 403
