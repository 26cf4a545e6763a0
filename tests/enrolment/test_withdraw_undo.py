"""Withdrawal and transfer on the staff enrolment list (issue 14): nothing preselected, a word
other than "Abmelden", a confirmation naming learner and course, an undo on the same day."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.errors import DomainError
from enrolment import services
from enrolment.models import Enrolment
from tests.enrolment.helpers import enrol, fill, learner
from tests.factories import make_course


@pytest.fixture
def staff(world, client):
    client.force_login(world.a.staff)
    return client


def _page(client, course) -> str:
    with translation.override("de"):
        return client.get(reverse("enrolment-staff-course", args=[course.pk])).content.decode()


def test_the_list_preselects_nothing_and_does_not_say_abmelden(world, staff, small_course):
    e = enrol(small_course, learner(world.a.provider))
    table = _page(staff, small_course).split("<tbody>", 1)[1].split("</tbody>")[0]
    assert "Abmelden" not in table and "Austragen" in table and "Umsetzen" in table
    assert "<select" not in table
    # a one-click POST (as the old inline form sent) withdraws nothing: it leads to the confirmation
    r = staff.post(reverse("enrolment-staff-action", args=[e.pk, "withdraw"]), {"reason": "moving"})
    assert r.status_code == 302 and r.url == reverse(
        "enrolment-staff-confirm", args=[e.pk, "withdraw"]
    )
    e.refresh_from_db()
    assert e.status == "enrolled"


def test_confirmation_names_learner_and_course_and_needs_a_reason(world, staff, small_course):
    lr = learner(world.a.provider, first_name="Layla", last_name="Darwish")
    e = enrol(small_course, lr)
    with translation.override("de"):
        html = staff.get(
            reverse("enrolment-staff-confirm", args=[e.pk, "withdraw"])
        ).content.decode()
    assert "Darwish, Layla" in html and str(small_course) in html
    assert f"{lr.date_of_birth:%d.%m.%Y}" in html
    assert "selected" not in html.split('name="reason"', 1)[1].split("</select>")[0].replace(
        '<option value="" selected>', ""
    )
    url = reverse("enrolment-staff-action", args=[e.pk, "withdraw"])
    staff.post(url, {"confirmed": "1", "reason": ""})
    e.refresh_from_db()
    assert e.status == "enrolled"
    staff.post(url, {"confirmed": "1", "reason": "moving"})
    e.refresh_from_db()
    assert (e.status, e.withdrawal_reason) == ("withdrawn", "moving")


def test_withdrawal_taken_back_the_same_day(world, staff, small_course):
    e = enrol(small_course, learner(world.a.provider))
    staff.post(
        reverse("enrolment-staff-action", args=[e.pk, "withdraw"]),
        {"confirmed": "1", "reason": "work"},
    )
    html = _page(staff, small_course)
    assert "Heute ausgetragen oder umgesetzt" in html
    staff.post(reverse("enrolment-staff-action", args=[e.pk, "undo"]))
    e.refresh_from_db()
    assert (e.status, e.withdrawal_reason, e.ended_on) == ("enrolled", "", None)
    small_course.refresh_from_db()
    assert small_course.seats_held == 1


def test_no_undo_once_the_seat_went_to_the_waiting_list(world, small_course):
    first, _second = fill(small_course, 2)
    waiting = services.waitlist_join(course=small_course, learner=learner(world.a.provider))
    services.enrolment_withdraw(enrolment=first, reason="moving")
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    with pytest.raises(DomainError) as err:
        services.enrolment_withdraw_undo(enrolment=first)
    assert err.value.code == "course_full"


def test_no_undo_on_a_later_day(world, small_course, monkeypatch):
    e = enrol(small_course, learner(world.a.provider))
    services.enrolment_withdraw(enrolment=e, reason="moving")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None: tomorrow if value is None else value.date()
    )
    assert services.undo_problem(Enrolment.objects.get(pk=e.pk)) is not None
    with pytest.raises(DomainError) as err:
        services.enrolment_withdraw_undo(enrolment=e)
    assert err.value.code == "undo_not_allowed"


def test_transfer_confirmed_and_taken_back(world, staff, small_course):
    other = make_course(provider=world.a.provider, location=world.a.location)
    e = enrol(small_course, learner(world.a.provider))
    with translation.override("de"):
        html = staff.get(
            reverse("enrolment-staff-confirm", args=[e.pk, "transfer"])
        ).content.decode()
    assert str(other) in html and "– Kurs wählen –" in html
    staff.post(
        reverse("enrolment-staff-action", args=[e.pk, "transfer"]),
        {"confirmed": "1", "to_course": other.pk},
    )
    new = Enrolment.objects.get(course=other, learner=e.learner)
    assert new.status == "enrolled"
    assert "Heute ausgetragen oder umgesetzt" in _page(staff, small_course)
    staff.post(reverse("enrolment-staff-action", args=[new.pk, "undo"]))
    e.refresh_from_db()
    new.refresh_from_db()
    assert e.status == "enrolled" and new.status == "withdrawn"
    other.refresh_from_db()
    assert other.seats_held == 0


def test_undo_api_and_outsiders(world, client, small_course):
    e = enrol(small_course, learner(world.a.provider))
    services.enrolment_withdraw(enrolment=e, reason="moving")
    url = f"/api/v1/enrolments/{e.pk}/undo/"
    client.force_login(world.b.staff)
    assert client.post(url).status_code == 404
    assert (
        client.get(reverse("enrolment-staff-confirm", args=[e.pk, "withdraw"])).status_code == 404
    )
    client.force_login(world.a.staff)
    r = client.post(url)
    assert r.status_code == 200 and r.json()["status"] == "enrolled"
