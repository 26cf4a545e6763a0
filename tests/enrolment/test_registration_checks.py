"""Public registration: plausible birth dates, no direction characters in names, and the same
person registering twice makes no second learner, account or application — answered as usual."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from enrolment.models import Enrolment
from people.models import Learner, User

FORM = {
    "first_name": "Amina",
    "last_name": "Haddad",
    "date_of_birth": "1990-04-02",
    "phone": "0151 23456789",
    "email": "",
    "preferred_language": "ar",
}


def register(client, course, **changes):
    return client.post(reverse("course-register", args=[course.pk]), FORM | changes)


def test_the_same_person_twice_makes_one_learner_and_answers_the_same(world, client):
    course = world.a.course
    first = register(client, course)
    client.logout()
    users_before = User.objects.count()
    second = register(client, course, first_name="amina", phone="0170 1111111")
    assert (first.status_code, first.url) == (302, reverse("learner-home"))
    assert (second.status_code, second.url) == (302, reverse("learner-home"))
    assert Learner.all_objects.filter(last_name__iexact="Haddad").count() == 1
    assert User.objects.count() == users_before
    assert Enrolment.objects.filter(learner__last_name="Haddad").count() == 1
    # the second phone is not signed in as Amina
    assert client.get(reverse("learner-home")).status_code == 302


def test_thirty_registrations_of_one_identity_make_one_learner(world, client):
    for _ in range(30):
        client.logout()
        assert register(client, world.a.course).status_code == 302
    assert Learner.all_objects.filter(last_name="Haddad").count() == 1


@pytest.mark.parametrize("born", ["2099-01-01", "0001-01-01", "1899-12-31"])
def test_implausible_birth_dates_are_refused_at_the_field(world, client, born):
    r = register(client, world.a.course, date_of_birth=born)
    assert r.status_code == 200
    assert r.context["form"].errors["date_of_birth"]
    assert not Learner.all_objects.filter(last_name="Haddad").exists()


def test_a_fifteen_year_old_is_refused_with_the_minimum_age(world, client):
    today = timezone.localdate()
    born = today.replace(year=today.year - 15) - dt.timedelta(days=1)
    r = register(client, world.a.course, date_of_birth=born.isoformat())
    assert r.status_code == 200
    assert "16" in r.context["form"].errors["date_of_birth"][0]


def test_a_right_to_left_override_in_a_name_is_refused(world, client):
    r = register(client, world.a.course, last_name="Had\u202edad")
    assert r.status_code == 200
    assert r.context["form"].errors["last_name"]
    assert not Learner.all_objects.filter(first_name="Amina").exists()


@pytest.mark.parametrize("born", [dt.date(2099, 1, 1), dt.date(1, 1, 1)])
def test_the_learner_record_refuses_implausible_birth_dates_for_admin_and_forms(world, born):
    """The model's clean (run by the admin's form) applies the same rule as registration."""
    from django.core.exceptions import ValidationError

    learner = world.a.learners[0]
    learner.date_of_birth = born
    with pytest.raises(ValidationError) as err:
        learner.full_clean()
    assert list(err.value.message_dict) == ["date_of_birth"]


def test_the_learner_import_refuses_implausible_birth_dates(world):
    from enrolment import services

    content = (
        b"last_name;first_name;date_of_birth;phone\n"
        b"Future;Fatima;01.01.2099;+49 151 23456789\n"
        b"Ancient;Anton;01.01.0001;+49 151 23456780\n"
    )
    _batch, summary = services.learner_import_preview(
        provider=world.a.provider, by=world.a.staff, file_name="x.csv", content=content
    )
    assert summary["invalid"] == 2
    assert summary["new"] == 0
