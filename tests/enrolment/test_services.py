import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone, translation

from core.errors import DomainError
from enrolment import selectors, services
from enrolment.models import Enrolment, EnrolmentPolicy, WaitlistWish
from people.models import LearnerEvent
from tests.enrolment.helpers import enrol, fill, learner, obliged, running_course
from tests.factories import LearnerFactory, make_course

S = Enrolment.Status


def events(lr):
    return list(LearnerEvent.objects.filter(learner=lr).values_list("type", flat=True))


def test_enrol_until_full_then_waitlist(world, small_course):
    a, b, c = (learner(world.a.provider) for _ in range(3))
    assert enrol(small_course, a, by=world.a.staff).status == S.ENROLLED
    assert enrol(small_course, b, by=world.a.staff).status == S.ENROLLED
    third = enrol(small_course, c, by=world.a.staff)
    assert third.status == S.WAITLISTED
    assert events(a) == ["enrolled"] and events(c) == ["waitlisted"]
    a.refresh_from_db()
    assert a.identity_confirmed_by == world.a.staff


def test_repeat_enrol_returns_existing(world, small_course):
    lr = learner(world.a.provider)
    first = enrol(small_course, lr)
    again = enrol(small_course, lr)
    assert again.pk == first.pk and again.was_created is False
    assert Enrolment.objects.filter(learner=lr).count() == 1


def test_database_refuses_second_active_enrolment(world, small_course):
    from django.db import IntegrityError

    lr = learner(world.a.provider)
    first = enrol(small_course, lr)
    with pytest.raises(IntegrityError):
        Enrolment.objects.create(
            learner=lr, course=small_course, module=first.module, status=S.WAITLISTED
        )


def test_foreign_learner_refused(world, small_course):
    with pytest.raises(DomainError) as exc:
        enrol(small_course, world.b.learners[0])
    assert exc.value.code == "foreign_learner"


def test_withdrawal_offers_seat_to_obliged_before_earlier(world, small_course):
    first, _second = fill(small_course, 2)
    early = learner(world.a.provider, registered_on=timezone.localdate() - dt.timedelta(days=90))
    late_obliged = obliged(world.a.provider)
    enrol(small_course, early)
    enrol(small_course, late_obliged)
    entries = selectors.waiting_entries(small_course)
    assert [e.learner for e in entries] == [late_obliged, early]
    with translation.override("en"):
        assert "obliged" in entries[0].reason() and entries[0].position == 1
    services.enrolment_withdraw(enrolment=first, reason="moving", by=world.a.staff)
    offered = Enrolment.objects.get(learner=late_obliged)
    assert offered.status == S.OFFERED
    assert offered.offer_expires_at > timezone.now() + dt.timedelta(hours=71)
    assert "offered" in events(late_obliged)
    withdrawn = LearnerEvent.objects.get(learner=first.learner, type="withdrawn")
    assert withdrawn.data["reason"] == "moving"


def test_withdraw_needs_known_reason(world, small_course):
    (e,) = fill(small_course, 1)
    with pytest.raises(DomainError):
        services.enrolment_withdraw(enrolment=e, reason="bored")


def test_offer_expiry_passes_to_next_and_configurable(world, small_course):
    EnrolmentPolicy.objects.create(provider=world.a.provider, offer_hours=24)
    first, _ = fill(small_course, 2)
    w1, w2 = learner(world.a.provider), learner(world.a.provider)
    enrol(small_course, w1)
    enrol(small_course, w2)
    services.enrolment_withdraw(enrolment=first, reason="work")
    offer = Enrolment.objects.get(learner=w1, status=S.OFFERED)
    assert offer.offer_expires_at < timezone.now() + dt.timedelta(hours=25)
    assert services.offers_expire(now=timezone.now() + dt.timedelta(hours=23)) == 0
    assert services.offers_expire(now=timezone.now() + dt.timedelta(hours=25)) == 1
    offer.refresh_from_db()
    assert offer.status == S.WITHDRAWN and offer.withdrawal_note == "offer_expired"
    assert Enrolment.objects.get(learner=w2).status == S.OFFERED


def test_expired_offer_cannot_be_accepted(world, small_course):
    first, _ = fill(small_course, 2)
    w = learner(world.a.provider)
    enrol(small_course, w)
    services.enrolment_withdraw(enrolment=first, reason="work")
    offer = Enrolment.objects.get(learner=w)
    Enrolment.objects.filter(pk=offer.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(DomainError) as exc:
        services.offer_accept(enrolment=offer)
    assert exc.value.code == "offer_expired"
    offer.refresh_from_db()
    assert offer.status == Enrolment.Status.WITHDRAWN, "the late answer must not keep the seat"


def test_accept_and_decline_offer(world, small_course):
    first, second = fill(small_course, 2)
    w1, w2 = learner(world.a.provider), learner(world.a.provider)
    enrol(small_course, w1)
    enrol(small_course, w2)
    services.enrolment_withdraw(enrolment=first, reason="work")
    services.enrolment_withdraw(enrolment=second, reason="work")
    o1 = Enrolment.objects.get(learner=w1)
    o2 = Enrolment.objects.get(learner=w2)
    assert services.offer_accept(enrolment=o1).status == S.ENROLLED
    assert services.offer_accept(enrolment=o1).status == S.ENROLLED  # idempotent
    assert services.offer_decline(enrolment=o2).status == S.WITHDRAWN
    assert selectors.seats_left(small_course) == 1


def test_auto_enrol_course_enrols_from_waiting_list(world, small_course):
    small_course.waitlist_auto_enrol = True
    small_course.save()
    first, _ = fill(small_course, 2)
    w = learner(world.a.provider)
    enrol(small_course, w)
    services.enrolment_withdraw(enrolment=first, reason="illness")
    promoted = Enrolment.objects.get(learner=w)
    assert promoted.status == S.ENROLLED and promoted.start_date is not None
    event = LearnerEvent.objects.get(learner=w, type="enrolled")
    assert event.data["from_waiting_list"] is True and "Position 1" in event.data["reason"]


def test_capacity_raised_promotes(world, small_course):
    fill(small_course, 2)
    w = learner(world.a.provider)
    enrol(small_course, w)
    from courses.services import course_update

    course_update(course=small_course, capacity=3)
    assert Enrolment.objects.get(learner=w).status == S.OFFERED


def test_wish_gets_offer_from_new_course(world):
    lr = learner(world.a.provider)
    other_location = world.a.location
    wish = services.wish_create(
        learner=lr,
        course_type=world.a.course.course_type,
        module_order=1,
        locations=[other_location],
        times_of_day=["evening"],
    )
    # the existing course runs in the morning: no offer
    assert wish.status == WaitlistWish.Status.ACTIVE
    evening = [
        {"weekday": d, "start_time": dt.time(18, 0), "end_time": dt.time(21, 0), "ue": 4}
        for d in range(3)
    ]
    # creating the course tells the waiting list (courses.services → waitlist_on_seats_changed)
    course = make_course(provider=world.a.provider, location=other_location, slots=evening)
    wish.refresh_from_db()
    assert wish.status == WaitlistWish.Status.OFFERED
    offer = Enrolment.objects.get(learner=lr, course=course)
    assert offer.status == S.OFFERED and offer.source_wish == wish
    services.offer_decline(enrolment=offer)
    wish.refresh_from_db()
    assert wish.status == WaitlistWish.Status.ACTIVE and course.pk in wish.passed_course_ids


def test_wish_created_takes_free_seat(world):
    lr = learner(world.a.provider)
    wish = services.wish_create(learner=lr, course_type=world.a.course.course_type)
    assert wish.status == WaitlistWish.Status.OFFERED
    assert Enrolment.objects.get(learner=lr).course == world.a.course


def test_transfer_frees_seat_and_records_event(world, small_course):
    other = make_course(provider=world.a.provider, location=world.a.location)
    first, _ = fill(small_course, 2)
    w = learner(world.a.provider)
    enrol(small_course, w)
    new = services.enrolment_transfer(enrolment=first, to_course=other, by=world.a.staff)
    assert new.course == other and new.status == S.ENROLLED
    first.refresh_from_db()
    assert first.status == S.WITHDRAWN and first.withdrawal_reason == "course_change"
    assert Enrolment.objects.get(learner=w).status == S.OFFERED
    assert "transferred" in events(first.learner)


def test_transfer_to_full_course_refused(world, small_course):
    other = make_course(provider=world.a.provider, location=world.a.location, capacity=1)
    fill(other, 1)
    (e,) = fill(small_course, 1)
    with pytest.raises(DomainError) as exc:
        services.enrolment_transfer(enrolment=e, to_course=other)
    assert exc.value.code == "course_full"


def test_late_entry_needs_confirmation(world):
    course = running_course(world.a.provider, days_ago=14)  # ~10 days × 5 UE taught
    lr = learner(world.a.provider)
    module = course.first_module
    with pytest.raises(DomainError) as exc:
        enrol(course, lr, module=module, by=world.a.staff)
    assert exc.value.code == "late_entry_needs_confirmation"
    e = enrol(course, lr, module=module, by=world.a.staff, confirm_late_entry=True)
    assert e.status == S.ENROLLED and e.late_entry_confirmed_by == world.a.staff


def test_late_entry_within_25_ue_is_fine(world):
    course = running_course(world.a.provider, days_ago=3)
    e = enrol(course, learner(world.a.provider), module=course.first_module)
    assert e.status == S.ENROLLED and e.late_entry_confirmed_at is None


def test_application_waits_for_staff_confirmation(world, small_course):
    lr = learner(world.a.provider)
    app = services.application_create(course=small_course, learner=lr)
    assert app.status == S.APPLIED and selectors.seats_left(small_course) == 2
    assert services.application_create(course=small_course, learner=lr).pk == app.pk
    confirmed = services.application_confirm(enrolment=app, by=world.a.staff)
    assert confirmed.pk == app.pk and confirmed.status == S.ENROLLED
    lr.refresh_from_db()
    assert lr.identity_confirmed_at is not None


def test_enrolments_on_day(world, small_course):
    e1, e2 = fill(small_course, 2)
    services.enrolment_withdraw(enrolment=e2, reason="work", on=small_course.start_date)
    day = small_course.start_date + dt.timedelta(days=1)
    assert list(selectors.enrolments_on(course=small_course, day=day)) == [e1]
    assert list(selectors.enrolments_on(course=small_course, day=day - dt.timedelta(days=2))) == []


def test_start_watch(world):
    today = timezone.localdate()
    old = LearnerFactory(provider=world.a.provider, registered_on=today - dt.timedelta(weeks=7))
    LearnerFactory(provider=world.a.provider, registered_on=today - dt.timedelta(weeks=5))
    bsk_type = make_course(provider=world.a.provider, type_code="bsk_b2").course_type
    bsk = LearnerFactory(provider=world.a.provider, registered_on=today - dt.timedelta(weeks=5))
    services.wish_create(learner=bsk, course_type=bsk_type, times_of_day=["evening"])
    started = LearnerFactory(provider=world.a.provider, registered_on=today - dt.timedelta(weeks=9))
    course = running_course(world.a.provider, days_ago=2)
    enrol(course, started)
    LearnerFactory(provider=world.b.provider, registered_on=today - dt.timedelta(weeks=9))
    rows = selectors.start_watch(provider_ids=[world.a.provider.pk])
    assert {r.learner for r in rows} == {old, bsk}
    row = next(r for r in rows if r.learner == old)
    assert row.weeks_waiting == 7 and row.programme.code == "integration"


def test_mail_in_learner_language_after_commit(
    world, small_course, django_capture_on_commit_callbacks
):
    lr = learner(world.a.provider, email="x@example.org", preferred_language="de")
    with django_capture_on_commit_callbacks(execute=True):
        enrol(small_course, lr)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["x@example.org"]
    assert "angemeldet" in mail.outbox[0].subject.lower()


def test_course_started_recorded_once(world, small_course):
    course = running_course(world.a.provider, days_ago=2)
    e = enrol(course, learner(world.a.provider))
    assert services.course_started_record() == 1
    assert services.course_started_record() == 0
    assert "course_started" in events(e.learner)


def test_expire_offers_command_and_task(world, small_course):
    from django.core.management import call_command

    from enrolment.tasks import expire_offers

    first, _ = fill(small_course, 2)
    w = learner(world.a.provider)
    enrol(small_course, w)
    services.enrolment_withdraw(enrolment=first, reason="work")
    Enrolment.objects.filter(learner=w).update(offer_expires_at=timezone.now())
    call_command("expire_offers")
    assert Enrolment.objects.get(learner=w).status == S.WITHDRAWN
    assert expire_offers.enqueue().return_value == 0
