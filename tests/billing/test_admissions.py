"""The staff page of the teachers' BAMF admissions: list per provider, add, change; outsiders
get 404; the list's queries do not grow with the admissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from billing.models import TeacherAdmission
from people.models import Role
from tests.factories import LearnerFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def admission(side, teacher=None, number="LK-1", **fields):
    return TeacherAdmission.objects.create(
        provider=side.provider,
        teacher=teacher or side.teacher,
        number=number,
        admitted_on=fields.pop("admitted_on", dt.date(2024, 3, 1)),
        **fields,
    )


def outsiders(world):
    learner_user = UserFactory()
    LearnerFactory(provider=world.a.provider, user=learner_user)
    return [
        world.b.staff,
        world.a.teacher,
        learner_user,
        world.caseworker,
        member(world.a.provider, Role.VOLUNTEER),
    ]


def test_the_list_shows_each_providers_admissions(world, client):
    admission(world.a, number="LK-A")
    admission(world.b, number="LK-B")
    client.force_login(world.a.staff)
    r = client.get(reverse("billing-admissions"))
    assert r.status_code == 200
    text = r.content.decode()
    assert "LK-A" in text and "01.03.2024" in text and "LK-B" not in text
    assert [(p, [a.number for a in rows]) for p, rows in r.context["groups"]] == [
        (world.a.provider, ["LK-A"])
    ]


def test_staff_add_and_change_an_admission(world, client):
    client.force_login(world.a.staff)
    r = client.post(
        reverse("billing-admission-add"),
        {
            "provider": world.a.provider.pk,
            "teacher": world.a.teacher.pk,
            "number": " LK-7 ",
            "admitted_on": "2024-03-01",
            "expires_on": "",
        },
    )
    assert r.status_code == 302
    saved = TeacherAdmission.objects.get()
    assert (saved.provider, saved.teacher, saved.number, saved.admitted_on, saved.expires_on) == (
        world.a.provider,
        world.a.teacher,
        "LK-7",
        dt.date(2024, 3, 1),
        None,
    )
    url = reverse("billing-admission-edit", args=[saved.pk])
    assert client.get(url).status_code == 200
    r = client.post(
        url,
        {
            "teacher": world.a.teacher.pk,
            "number": "LK-8",
            "admitted_on": "2024-03-01",
            "expires_on": "2029-02-28",
        },
    )
    assert r.status_code == 302
    saved.refresh_from_db()
    assert (saved.number, saved.expires_on) == ("LK-8", dt.date(2029, 2, 28))


def test_what_is_refused(world, client):
    admission(world.a)
    client.force_login(world.a.staff)
    base = {"provider": world.a.provider.pk, "number": "LK-9", "admitted_on": "2024-03-01"}
    # Another provider's teacher, or staff (not a teacher) are not in the choice.
    for user in (world.b.teacher, world.a.staff):
        r = client.post(reverse("billing-admission-add"), {**base, "teacher": user.pk})
        assert r.status_code == 400 and "teacher" in r.context["form"].errors
    # A second admission for the same teacher.
    r = client.post(reverse("billing-admission-add"), {**base, "teacher": world.a.teacher.pk})
    assert r.status_code == 400 and "teacher" in r.context["form"].errors
    # Ending before it was granted.
    r = client.post(
        reverse("billing-admission-add"),
        {**base, "teacher": world.a.other_teacher.pk, "expires_on": "2024-02-01"},
    )
    assert r.status_code == 400 and "expires_on" in r.context["form"].errors
    assert TeacherAdmission.objects.count() == 1


def test_outsiders_get_404(world, client):
    theirs = admission(world.a)
    for user in outsiders(world):
        client.force_login(user)
        for url in (
            reverse("billing-admission-add") + f"?provider={world.a.provider.pk}",
            reverse("billing-admission-edit", args=[theirs.pk]),
        ):
            assert client.get(url).status_code == 404, (user, url)
        r = client.post(
            reverse("billing-admission-edit", args=[theirs.pk]),
            {"teacher": world.a.teacher.pk, "number": "X", "admitted_on": "2024-03-01"},
        )
        assert r.status_code == 404
        listing = client.get(reverse("billing-admissions"))
        if user == world.b.staff:  # their own (empty) list, without provider a's admissions
            assert listing.status_code == 200 and "LK-1" not in listing.content.decode()
        else:
            assert listing.status_code == 404, user
    theirs.refresh_from_db()
    assert theirs.number == "LK-1"
    client.logout()
    assert client.get(reverse("billing-admissions")).status_code == 302  # to the login


def test_the_list_pins_its_queries(world, client, django_assert_num_queries):
    client.force_login(world.a.staff)
    admission(world.a)
    url = reverse("billing-admissions")
    client.get(url)
    with django_assert_num_queries(5) as first:
        client.get(url)
    admission(world.a, teacher=world.a.other_teacher, number="LK-2")
    for n in range(3):
        admission(world.a, teacher=member(world.a.provider, Role.TEACHER), number=f"LK-{n + 3}")
    with django_assert_num_queries(len(first.captured_queries)):
        r = client.get(url)
    assert len(r.context["groups"][0][1]) == 5
