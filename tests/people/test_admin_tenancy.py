"""Staff of provider A never list, view, change or pick provider B's rows in the admin."""

import pytest
from django.urls import reverse

from people.models import Entitlement, Membership, Role
from tests.factories import EntitlementFactory, member
from tests.people.helpers import (
    assert_treated_as_missing,
    build_admin_world,
    changelist_pks,
    choice_pks,
    client_for,
    superuser,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_admin_world()


def rows(world, side):
    """One row per admin model belonging to ``side`` (a or b)."""
    p = getattr(world, side)
    return {
        "people.organisation": p.provider,
        "people.location": p.location,
        "people.membership": Membership.objects.get(user=p.teacher),
        "people.user": p.teacher,
        "people.learner": p.learners[0],
    }


MODELS = [
    "people.organisation",
    "people.location",
    "people.membership",
    "people.user",
    "people.learner",
]


def url(model, name, *args):
    return reverse(f"admin:{model.replace('.', '_')}_{name}", args=args)


@pytest.mark.parametrize("model", MODELS)
def test_staff_list_only_their_providers_rows(world, model, django_assert_max_num_queries):
    client = client_for(world.a.staff)
    with django_assert_max_num_queries(25):
        response = client.get(url(model, "changelist"))
    pks = changelist_pks(response)
    assert rows(world, "a")[model].pk in pks
    assert rows(world, "b")[model].pk not in pks
    assert str(rows(world, "b")[model]) not in response.text


@pytest.mark.parametrize("model", MODELS)
def test_foreign_row_is_treated_as_missing(world, model):
    client = client_for(world.a.staff)
    foreign = rows(world, "b")[model]
    own = rows(world, "a")[model]
    assert client.get(url(model, "change", own.pk)).status_code == 200
    assert_treated_as_missing(client.get(url(model, "change", foreign.pk)), foreign)
    # Nor can it be changed by posting to it.
    response = client.post(url(model, "change", foreign.pk), {"name": "Übernommen"})
    assert_treated_as_missing(response, foreign)
    assert_treated_as_missing(client.get(url(model, "history", foreign.pk)), foreign)


@pytest.mark.parametrize("model", MODELS)
def test_superuser_sees_every_provider(world, model):
    client = client_for(superuser())
    pks = changelist_pks(client.get(url(model, "changelist")))
    assert {rows(world, "a")[model].pk, rows(world, "b")[model].pk} <= pks


def test_foreign_learner_cannot_be_changed_by_post(world):
    learner = world.b.learners[0]
    client = client_for(world.a.staff)
    client.post(url("people.learner", "change", learner.pk), {"first_name": "X"})
    learner.refresh_from_db()
    assert learner.first_name != "X"


def test_password_page_of_a_foreign_user_is_404(world):
    client = client_for(world.a.staff)
    response = client.get(reverse("admin:auth_user_password_change", args=[world.b.teacher.pk]))
    assert response.status_code == 404


def test_staff_do_not_see_superusers_or_jobcenter_people(world):
    root = superuser()
    pks = changelist_pks(client_for(world.a.staff).get(url("people.user", "changelist")))
    assert root.pk not in pks
    assert world.caseworker.pk not in pks


def test_fk_choices_are_only_the_staff_members_provider(world):
    client = client_for(world.a.staff)
    learner_add = client.get(url("people.learner", "add"))
    assert choice_pks(learner_add, "provider") == {world.a.provider.pk}
    location_add = client.get(url("people.location", "add"))
    assert choice_pks(location_add, "organisation") == {world.a.provider.pk}
    membership_add = client.get(url("people.membership", "add"))
    users = choice_pks(membership_add, "user")
    assert world.a.teacher.pk in users and world.b.teacher.pk not in users
    assert choice_pks(membership_add, "organisation") == {world.a.provider.pk}


def test_entitlement_inline_offers_jobcenters(world):
    client = client_for(world.a.staff)
    response = client.get(url("people.learner", "change", world.a.learners[0].pk))
    formset = response.context["inline_admin_formsets"][0].formset
    jobcenters = {c[0].value for c in formset.empty_form.fields["jobcenter"].choices if c[0]}
    assert jobcenters == {world.jobcenter.pk, world.other_jobcenter.pk}


def test_staff_cannot_pick_a_foreign_provider_by_post(world):
    client = client_for(world.a.staff)
    response = client.post(
        url("people.location", "add"),
        {"organisation": world.b.provider.pk, "name": "Fremd", "town": "Wedel", "state": "SH"},
    )
    assert response.status_code == 200  # form error, nothing saved
    assert "organisation" in response.context["adminform"].form.errors
    assert not world.b.provider.locations.filter(name="Fremd").exists()


@pytest.mark.parametrize("persona", ["teacher", "caseworker"])
def test_teachers_and_caseworkers_get_no_admin(world, persona):
    user = world.a.teacher if persona == "teacher" else world.caseworker
    assert not user.is_staff
    response = client_for(user).get(reverse("admin:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_creates_a_teacher_with_the_role_at_their_provider(world):
    client = client_for(world.a.staff)
    response = client.post(
        url("people.user", "add"),
        {
            "username": "neue-lehrkraft",
            "usable_password": "true",
            "password1": "Sehr-geheim-2026",
            "password2": "Sehr-geheim-2026",
            "organisation": world.a.provider.pk,
            "role": Role.TEACHER,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    membership = Membership.objects.get(user__username="neue-lehrkraft")
    assert (membership.organisation, membership.role) == (world.a.provider, Role.TEACHER)
    assert not membership.user.is_staff


def test_staff_cannot_grant_roles_in_a_foreign_provider(world):
    client = client_for(world.a.staff)
    response = client.post(
        url("people.user", "add"),
        {
            "username": "eindringling",
            "usable_password": "true",
            "password1": "Sehr-geheim-2026",
            "password2": "Sehr-geheim-2026",
            "organisation": world.b.provider.pk,
            "role": Role.STAFF,
        },
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user__username="eindringling").exists()


def test_granting_staff_in_the_admin_opens_the_admin(world):
    client = client_for(world.a.staff)
    response = client.post(
        url("people.membership", "add"),
        {"user": world.a.teacher.pk, "organisation": world.a.provider.pk, "role": Role.STAFF},
    )
    assert response.status_code == 302
    world.a.teacher.refresh_from_db()
    assert world.a.teacher.is_staff


def test_staff_cannot_grant_superuser_rights(world):
    client = client_for(world.a.staff)
    teacher = world.a.teacher
    response = client.get(url("people.user", "change", teacher.pk))
    form = response.context["adminform"].form
    assert "is_superuser" not in form.fields and "is_staff" not in form.fields


def test_staff_record_an_obligation_by_the_jobcenter(world):
    learner = world.a.learners[0]
    client = client_for(world.a.staff)
    page = client.get(url("people.learner", "change", learner.pk))
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update(
        {
            "provider": world.a.provider.pk,
            "available_times": "[]",
            "entitlements-TOTAL_FORMS": "1",
            "entitlements-INITIAL_FORMS": "0",
            "entitlements-0-kind": Entitlement.Kind.OBLIGATION,
            "entitlements-0-authority": Entitlement.Authority.JOBCENTER,
            "entitlements-0-jobcenter": world.jobcenter.pk,
            "entitlements-0-issued_on": "2026-01-05",
        }
    )
    response = client.post(url("people.learner", "change", learner.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert learner.entitlements.get().jobcenter == world.jobcenter


def test_confirm_identity_action_uses_the_service(world):
    EntitlementFactory(learner=world.a.learners[0])
    client = client_for(world.a.staff)
    ids = [world.a.learners[0].pk, world.b.learners[0].pk]
    client.post(
        url("people.learner", "changelist"),
        {"action": "confirm_identity", "_selected_action": ids},
    )
    world.a.learners[0].refresh_from_db()
    world.b.learners[0].refresh_from_db()
    assert world.a.learners[0].identity_confirmed_by == world.a.staff
    assert world.b.learners[0].identity_confirmed_at is None


def test_staff_member_of_no_provider_sees_nothing(world):
    lone = member(world.jobcenter, Role.CASEWORKER, username="lone", is_staff=True)
    response = client_for(lone).get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["available_apps"] == []
