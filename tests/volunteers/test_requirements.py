"""Requirements per role with validity: an expired, missing or failed requirement blocks the
assignment with a code and a message that names the requirement; the certificate of conduct
keeps only date, inspector and result."""

import datetime as dt

import pytest
from django.utils import translation

from core.errors import DomainError
from volunteers import services
from volunteers.models import ConductCheck, RequirementRecord, ShiftAssignment, Tandem
from volunteers.rules import add_months
from volunteers.selectors import requirement_states

from .helpers import cafe, today, volunteer

pytestmark = pytest.mark.django_db


def test_expired_requirement_blocks_a_shift_with_a_named_reason(world):
    a = world.a
    v = volunteer(a.provider, a.staff, requirements=False)
    long_ago = today() - dt.timedelta(days=5 * 365 + 10)
    for code in ("data_protection_pledge", "basic_training"):  # these do not expire
        services.requirement_record(volunteer=v, code=code, fulfilled_on=long_ago, by=a.staff)
    homework = cafe(a.provider, a.location, a.staff, role="homework", kind="homework")
    services.conduct_check_record(
        volunteer=v, inspected_on=long_ago, result=ConductCheck.Result.CLEAR, by=a.staff
    )
    record = RequirementRecord.objects.get(volunteer=v, code="conduct_certificate")
    assert record.expires_on == add_months(long_ago, 60) < today()  # the rule: 60 months
    shift = homework.shifts.first()
    with translation.override("de"), pytest.raises(DomainError) as exc:
        services.shift_claim(shift=shift, volunteer=v, by=v.user)
    assert exc.value.code == "requirement_expired"
    assert exc.value.status_code == 409
    assert exc.value.field == "conduct_certificate"
    expires = record.expires_on.strftime("%d.%m.%Y")
    assert str(exc.value.message) == (
        f"Erweitertes Führungszeugnis ist am {expires} abgelaufen: Das wird gebraucht für "
        "Hausaufgabenhilfe mit Kindern."
    )
    assert not ShiftAssignment.objects.filter(volunteer=v).exists()


def test_missing_requirement_blocks_a_tandem(world):
    a = world.a
    v = volunteer(a.provider, a.staff, requirements=False)
    services.requirement_record(
        volunteer=v, code="data_protection_pledge", fulfilled_on=today(), by=a.staff
    )
    with translation.override("en"), pytest.raises(DomainError) as exc:
        services.tandem_propose(
            volunteer=v, learner=a.learners[0], contact_channel="office", by=a.staff
        )
    assert exc.value.code == "requirement_missing"
    assert "Basic training for volunteers is missing" in str(exc.value.message)
    assert "Language buddy (tandem)" in str(exc.value.message)
    assert not Tandem.objects.exists()


def test_a_relevant_entry_is_not_met_even_after_an_earlier_clear_check(world):
    a = world.a
    v = volunteer(a.provider, a.staff)
    services.conduct_check_record(
        volunteer=v,
        inspected_on=today(),
        result=ConductCheck.Result.RELEVANT_ENTRY,
        by=a.staff,
    )
    with pytest.raises(DomainError) as exc:
        services.tandem_propose(
            volunteer=v, learner=a.learners[0], contact_channel="office", by=a.staff
        )
    assert exc.value.code == "requirement_not_met"


def test_validity_is_judged_on_the_day_of_the_shift(world):
    a = world.a
    v = volunteer(a.provider, a.staff, requirements=False)
    for code in ("data_protection_pledge", "basic_training"):
        services.requirement_record(volunteer=v, code=code, fulfilled_on=today(), by=a.staff)
    # conduct certificate valid today, but it runs out in 10 days: the shift is in 14
    inspected = today() - dt.timedelta(days=5 * 365) + dt.timedelta(days=10)
    services.conduct_check_record(
        volunteer=v, inspected_on=inspected, result=ConductCheck.Result.CLEAR, by=a.staff
    )
    homework = cafe(
        a.provider,
        a.location,
        a.staff,
        role="homework",
        kind="homework",
        first=today() + dt.timedelta(days=14),
        weeks=0,
    )
    with pytest.raises(DomainError) as exc:
        services.shift_claim(shift=homework.shifts.get(), volunteer=v, by=v.user)
    assert exc.value.code == "requirement_expired"


def test_met_requirements_let_the_volunteer_take_the_shift(vw):
    assignment = services.shift_claim(shift=vw.shift, volunteer=vw.volunteer, by=vw.volunteer.user)
    assert assignment.status == ShiftAssignment.Status.CLAIMED


def test_conduct_check_stores_no_document_and_names_who_saw_it(world):
    a = world.a
    v = volunteer(a.provider, a.staff, requirements=False)
    check = services.conduct_check_record(
        volunteer=v, inspected_on=today(), result=ConductCheck.Result.CLEAR, by=a.staff
    )
    fields = {f.name for f in ConductCheck._meta.get_fields()}
    assert fields == {
        "id",
        "volunteer",
        "inspected_on",
        "inspected_by",
        "inspected_by_name",
        "result",
        "recorded_at",
        "requirement_record",
    }
    assert check.inspected_by_name == a.staff.get_full_name()
    assert ConductCheck.retention.key == "certificate_of_conduct"
    # deleting the inspection (the retention job) takes the fulfilment with it
    check.delete()
    states = {s.code: s.status for s in requirement_states(volunteer=v, on=today())}
    assert states["conduct_certificate"] == "missing"


def test_future_dates_are_refused(world):
    a = world.a
    v = volunteer(a.provider, a.staff, requirements=False)
    with pytest.raises(DomainError) as exc:
        services.conduct_check_record(
            volunteer=v,
            inspected_on=today() + dt.timedelta(days=1),
            result=ConductCheck.Result.CLEAR,
            by=a.staff,
        )
    assert exc.value.code == "future_date"


def test_states_show_expiring_soon(world):
    a = world.a
    v = volunteer(a.provider, a.staff, requirements=False)
    services.conduct_check_record(
        volunteer=v,
        inspected_on=today() - dt.timedelta(days=5 * 365 - 20),
        result=ConductCheck.Result.CLEAR,
        by=a.staff,
    )
    states = {s.code: s for s in requirement_states(volunteer=v, on=today())}
    assert states["conduct_certificate"].status == "expiring"
    assert states["data_protection_pledge"].status == "missing"
    assert states["basic_training"].blocks
