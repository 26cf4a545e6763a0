import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from core.errors import ConflictError, DomainError, PermissionDeniedError
from jobcenter import services
from jobcenter.models import ConsentScope, JobcenterLink
from jobcenter.selectors import access_log_for_learner
from tests.factories import ObligationFactory
from tests.jobcenter.helpers import auth

TODAY = timezone.localdate


def make(world, learner, **kwargs):
    defaults = dict(
        learner=learner,
        jobcenter=world.jobcenter,
        customer_number="K-1",
        basis=JobcenterLink.Basis.CONSENT,
        consent_given_on=TODAY(),
        consent_scope=ConsentScope.PARTICIPATION,
        by=world.a.staff,
    )
    defaults.update(kwargs)
    return services.link_create(**defaults)


def test_consent_link_records_who_and_when(world):
    link = make(world, world.a.learners[0])
    assert link.consent_recorded_by == world.a.staff and link.created_by == world.a.staff
    assert JobcenterLink.objects.valid().filter(pk=link.pk).exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"consent_given_on": None}, "consent_given_on"),
        ({"consent_scope": ""}, "consent_scope"),
        ({"customer_number": "  "}, "customer_number"),
        ({"consent_given_on": dt.date.today() + dt.timedelta(days=2)}, "consent_given_on"),
        ({"basis": JobcenterLink.Basis.OBLIGATION}, "obligation"),
    ],
)
def test_incomplete_links_are_refused(world, kwargs, field):
    with pytest.raises(DomainError) as exc:
        make(world, world.a.learners[0], **kwargs)
    assert exc.value.field == field


def test_reporting_duty_needs_an_obligation_by_that_jobcenter(world):
    learner = world.a.learners[0]
    foreign = ObligationFactory(
        learner=learner,
        jobcenter=world.other_jobcenter,
        issued_on=TODAY() - dt.timedelta(days=5),
        expires_on=None,
    )
    with pytest.raises(DomainError):
        make(world, learner, basis=JobcenterLink.Basis.OBLIGATION, obligation=foreign)
    own = ObligationFactory(
        learner=learner,
        jobcenter=world.jobcenter,
        issued_on=TODAY() - dt.timedelta(days=5),
        expires_on=TODAY() + dt.timedelta(days=5),
    )
    link = make(world, learner, basis=JobcenterLink.Basis.OBLIGATION, obligation=own)
    assert link.parts == {"enrolments", "attendance", "internships"}
    with pytest.raises(DomainError):
        services.consent_revoke(link=link, by=world.a.staff)
    # an expired obligation no longer carries the reporting duty
    own.expires_on = TODAY() - dt.timedelta(days=1)
    own.issued_on = TODAY() - dt.timedelta(days=10)
    own.save()
    assert not JobcenterLink.objects.valid().filter(pk=link.pk).exists()


def test_one_open_link_per_learner_and_jobcenter(world):
    learner = world.a.learners[0]
    link = make(world, learner)
    with pytest.raises(ConflictError):
        make(world, learner, customer_number="K-2")
    services.consent_revoke(link=link, by=world.a.staff)
    assert make(world, learner, customer_number="K-2").customer_number == "K-2"
    assert make(world, learner, jobcenter=world.other_jobcenter).jobcenter == world.other_jobcenter


def test_other_providers_staff_cannot_link_or_revoke(world):
    with pytest.raises(PermissionDeniedError):
        make(world, world.a.learners[0], by=world.b.staff)
    link = make(world, world.a.learners[0])
    with pytest.raises(PermissionDeniedError):
        services.consent_revoke(link=link, by=world.b.staff)


def test_consent_given_in_future_is_not_valid_until_then(world):
    link = make(world, world.a.learners[0])
    assert (
        not JobcenterLink.objects.valid(on=TODAY() - dt.timedelta(days=1))
        .filter(pk=link.pk)
        .exists()
    )


def test_learner_sees_who_read_their_data(jc, api_client, client):
    api_client.post(
        "/api/v1/jobcenter/verifications/",
        {
            "participants": [
                {"customer_number": "JC-1001", "date_of_birth": jc.ana.date_of_birth.isoformat()}
            ]
        },
        format="json",
        **auth(jc.key),
    )
    rows = list(access_log_for_learner(jc.ana))
    assert len(rows) == 1 and rows[0].entry.jobcenter == jc.world.jobcenter
    assert list(access_log_for_learner(jc.cem)) == []
    html = Template("{% load jobcenter_tags %}{% learner_access_log learner %}").render(
        Context({"learner": jc.ana})
    )
    assert str(jc.world.jobcenter) in html
    assert "Anwesenheit" in html or "attendance" in html
    empty = Template("{% load jobcenter_tags %}{% learner_access_log learner %}").render(
        Context({"learner": jc.cem})
    )
    assert str(jc.world.jobcenter) not in empty


def test_admin_link_form_goes_through_the_service(world, client):
    staff = world.a.staff
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    learner = world.a.learners[0]
    data = {
        "learner": learner.pk,
        "jobcenter": world.jobcenter.pk,
        "customer_number": "K-9",
        "basis": "consent",
        "consent_given_on": TODAY().isoformat(),
        "consent_scope": "enrolment",
    }
    r = client.post("/admin/jobcenter/jobcenterlink/add/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    link = JobcenterLink.objects.get()
    assert link.consent_recorded_by == staff
    r = client.post("/admin/jobcenter/jobcenterlink/add/", data)
    assert r.status_code == 200 and JobcenterLink.objects.count() == 1  # duplicate refused
    r = client.post(
        "/admin/jobcenter/jobcenterlink/",
        {"action": "revoke_consent", "_selected_action": [link.pk]},
    )
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == staff
    # provider b's staff do not see provider a's links
    other = world.b.staff
    other.is_staff = True
    other.save()
    client.force_login(other)
    # the admin answers a foreign object as a missing one: back to the index with a message
    r = client.get(f"/admin/jobcenter/jobcenterlink/{link.pk}/change/")
    assert (r.status_code, r["Location"]) == (302, "/admin/")
