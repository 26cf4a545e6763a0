import pytest

from enrolment import services
from enrolment.models import Enrolment
from tests.enrolment.helpers import fill, learner
from tests.factories import LearnerFactory


def test_enrol_is_idempotent(world, api_client):
    api_client.force_authenticate(world.a.staff)
    lr = world.a.learners[0]
    url = f"/api/v1/courses/{world.a.course.pk}/enrol/"
    r1 = api_client.post(url, {"learner": lr.pk}, format="json")
    assert r1.status_code == 201 and r1.json()["status"] == "enrolled"
    r2 = api_client.post(url, {"learner": lr.pk}, format="json")
    assert r2.status_code == 200 and r2.json()["id"] == r1.json()["id"]


def test_enrol_outsider_staff_404(world, api_client):
    api_client.force_authenticate(world.b.staff)
    r = api_client.post(
        f"/api/v1/courses/{world.a.course.pk}/enrol/", {"learner": world.a.learners[0].pk}
    )
    assert r.status_code == 404


def test_enrol_foreign_learner_404(world, api_client):
    api_client.force_authenticate(world.a.staff)
    r = api_client.post(
        f"/api/v1/courses/{world.a.course.pk}/enrol/", {"learner": world.b.learners[0].pk}
    )
    assert r.status_code == 404


def test_teacher_cannot_enrol(world, api_client):
    api_client.force_authenticate(world.a.teacher)
    r = api_client.post(
        f"/api/v1/courses/{world.a.course.pk}/enrol/", {"learner": world.a.learners[0].pk}
    )
    assert r.status_code == 404


def test_anonymous_refused(world, api_client):
    r = api_client.post(f"/api/v1/courses/{world.a.course.pk}/enrol/", {})
    assert r.status_code == 403


def test_withdraw_transfer_and_errors(world, api_client, small_course):
    from tests.factories import make_course

    api_client.force_authenticate(world.a.staff)
    e1, e2 = fill(small_course, 2)
    r = api_client.post(f"/api/v1/enrolments/{e1.pk}/withdraw/", {"reason": "nope"})
    assert r.status_code == 400 and r.json()["code"] == "invalid" and "reason" in r.json()["fields"]
    r = api_client.post(f"/api/v1/enrolments/{e1.pk}/withdraw/", {"reason": "work"})
    assert r.status_code == 200 and r.json()["status"] == "withdrawn"
    r = api_client.post(f"/api/v1/enrolments/{e1.pk}/withdraw/", {"reason": "work"})
    assert r.status_code == 200  # retry changes nothing
    other = make_course(provider=world.a.provider, location=world.a.location)
    r = api_client.post(f"/api/v1/enrolments/{e2.pk}/transfer/", {"to_course": other.pk})
    assert r.status_code == 200 and r.json()["course"] == other.pk
    full = make_course(provider=world.a.provider, location=world.a.location, capacity=1)
    fill(full, 1)
    new = Enrolment.objects.get(learner=e2.learner, status="enrolled")
    r = api_client.post(f"/api/v1/enrolments/{new.pk}/transfer/", {"to_course": full.pk})
    assert r.status_code == 409 and r.json()["code"] == "course_full"


def test_outsider_cannot_touch_enrolment(world, api_client):
    (e,) = fill(world.a.course, 1)
    api_client.force_authenticate(world.b.staff)
    for path in ("withdraw", "transfer", "accept", "decline", "confirm"):
        r = api_client.post(f"/api/v1/enrolments/{e.pk}/{path}/", {"reason": "work"})
        assert r.status_code == 404, path
    assert api_client.get(f"/api/v1/enrolments/{e.pk}/position/").status_code == 404
    assert api_client.get(f"/api/v1/courses/{world.a.course.pk}/waiting-list/").status_code == 404
    assert api_client.get(f"/api/v1/courses/{world.a.course.pk}/enrolments/").status_code == 404


def _learner_user(provider):
    lr = LearnerFactory(provider=provider)
    services.learner_account_create(learner=lr)
    lr.refresh_from_db()
    return lr


def test_learner_applies_accepts_and_sees_position(world, api_client, small_course):
    lr = _learner_user(world.a.provider)
    api_client.force_authenticate(lr.user)
    url = f"/api/v1/courses/{small_course.pk}/apply/"
    r = api_client.post(url)
    assert r.status_code == 201 and r.json()["status"] == "applied"
    assert api_client.post(url).status_code == 200
    fill(small_course, 2)
    app = Enrolment.objects.get(pk=r.json()["id"])
    services.application_confirm(enrolment=app, by=world.a.staff)
    pos = api_client.get(f"/api/v1/enrolments/{app.pk}/position/").json()
    assert pos["position"] == 1 and "Platz 1" in pos["reason"]
    services.enrolment_withdraw(
        enrolment=Enrolment.objects.filter(course=small_course, status="enrolled").first(),
        reason="work",
    )
    r = api_client.post(f"/api/v1/enrolments/{app.pk}/accept/")
    assert r.status_code == 200 and r.json()["status"] == "enrolled"
    assert api_client.post(f"/api/v1/enrolments/{app.pk}/accept/").status_code == 200
    mine = api_client.get("/api/v1/me/enrolments/").json()
    assert [m["id"] for m in mine] == [app.pk]


def test_other_learner_cannot_see_or_accept(world, api_client, small_course):
    (e,) = fill(small_course, 1)
    intruder = _learner_user(world.a.provider)
    api_client.force_authenticate(intruder.user)
    assert api_client.get(f"/api/v1/enrolments/{e.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/enrolments/{e.pk}/accept/").status_code == 404
    assert (
        api_client.post(f"/api/v1/enrolments/{e.pk}/withdraw/", {"reason": "work"}).status_code
        == 404
    )


def test_learner_cannot_apply_at_other_provider(world, api_client):
    lr = _learner_user(world.a.provider)
    api_client.force_authenticate(lr.user)
    assert api_client.post(f"/api/v1/courses/{world.b.course.pk}/apply/").status_code == 404


@pytest.mark.parametrize("n", [3, 12])
def test_course_enrolment_list_query_count(world, api_client, django_assert_num_queries, n):
    fill(world.a.course, n)
    api_client.force_authenticate(world.a.staff)
    with django_assert_num_queries(3):  # memberships, course, enrolments
        r = api_client.get(f"/api/v1/courses/{world.a.course.pk}/enrolments/")
    assert len(r.json()) == n


@pytest.mark.parametrize("n", [2, 8])
def test_waiting_list_query_count(world, api_client, django_assert_num_queries, small_course, n):
    fill(small_course, 2)
    for _ in range(n):
        services.enrolment_create(course=small_course, learner=learner(world.a.provider))
    api_client.force_authenticate(world.a.staff)
    with django_assert_num_queries(7):
        r = api_client.get(f"/api/v1/courses/{small_course.pk}/waiting-list/")
    assert [e["position"] for e in r.json()] == list(range(1, n + 1))


def test_wish_api_offers_fitting_course_and_outsiders(world, api_client):
    lr = world.a.learners[0]
    api_client.force_authenticate(world.b.staff)
    r = api_client.post(f"/api/v1/learners/{lr.pk}/wishes/", {"module_order": 1}, format="json")
    assert r.status_code == 404
    api_client.force_authenticate(world.a.staff)
    r = api_client.post(
        f"/api/v1/learners/{lr.pk}/wishes/",
        {"module_order": 1, "locations": [world.b.location.pk]},
        format="json",
    )
    assert r.status_code == 404  # a foreign location is not visible
    r = api_client.post(
        f"/api/v1/learners/{lr.pk}/wishes/",
        {
            "course_type": world.a.course.course_type.pk,
            "module_order": 1,
            "locations": [world.a.location.pk],
            "times_of_day": ["morning"],
        },
        format="json",
    )
    assert r.status_code == 201 and r.json()["status"] == "offered"
    assert Enrolment.objects.get(learner=lr).course == world.a.course
    r = api_client.post(f"/api/v1/learners/{lr.pk}/wishes/", {}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "wish_too_vague"
