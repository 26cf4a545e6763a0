"""``manage.py seed_demo``: realistic, idempotent, with a login per role and app hooks."""

import sys
import types
from io import StringIO

import pytest
from django.core.management import call_command

import courses.demo
import people.demo
from courses.models import Course, Session, TimetableSlot
from people.demo import PASSWORD
from people.models import (
    Entitlement,
    Learner,
    Location,
    Membership,
    Organisation,
    Role,
    User,
)

MODELS = [
    Organisation,
    Location,
    User,
    Membership,
    Learner,
    Entitlement,
    Course,
    TimetableSlot,
    Session,
]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.mark.django_db
def test_seed_twice_gives_the_same_data_and_every_role_can_log_in(client):
    call_command("seed_demo", "--apps", "people", "courses", stdout=StringIO())
    first = counts()
    out = StringIO()
    call_command("seed_demo", "--apps", "people", "courses", stdout=out)
    assert counts() == first
    assert PASSWORD in out.getvalue()

    providers = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER)
    assert providers.count() == 5
    assert Location.objects.filter(organisation__in=providers).count() == 13
    assert set(Location.objects.values_list("state", flat=True)) == {"SH"}
    assert 38 <= first["Course"] <= 42
    assert set(Course.objects.values_list("course_type__code", flat=True)) >= {
        "general",
        "literacy",
        "intensive",
        "bsk_b2",
        "bsk_c1",
        "job_bsk",
    }
    assert set(Course.objects.values_list("time_of_day", flat=True)) == {
        "morning",
        "afternoon",
        "evening",
    }
    assert set(Course.objects.values_list("status", flat=True)) == {"running", "open", "planned"}
    assert all(c.sessions.exists() for c in Course.objects.all())
    assert first["Learner"] == 600
    assert set(Learner.objects.values_list("preferred_language", flat=True)) >= {
        "ar",
        "fa",
        "uk",
        "tr",
        "ru",
        "de",
        "en",
    }
    assert Entitlement.objects.count() == 600
    jobcenter = Organisation.objects.get(kind=Organisation.Kind.JOBCENTER)
    obligations = Entitlement.objects.filter(kind=Entitlement.Kind.OBLIGATION)
    assert obligations.filter(authority="jobcenter", jobcenter=jobcenter).count() > 50
    assert obligations.filter(authority="abh").count() > 50
    assert Entitlement.objects.filter(kind=Entitlement.Kind.ENTITLEMENT).count() > 100

    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(PASSWORD)
    for provider in providers:
        assert Membership.objects.filter(organisation=provider, role=Role.STAFF).exists()
        assert 2 <= Membership.objects.filter(organisation=provider, role=Role.TEACHER).count() <= 3
    staff = User.objects.get(username="staff-diakonie")
    assert staff.is_staff and staff.provider_ids(role=Role.STAFF)
    assert User.objects.get(username="staff-caritas").is_staff
    teacher = User.objects.get(username="teacher-diakonie")
    assert not teacher.is_staff and teacher.taught_courses.exists()
    assert User.objects.get(username="caseworker-jobcenter").jobcenter_ids() == [jobcenter.pk]
    learner_user = User.objects.get(username="learner-demo")
    assert learner_user.learner.provider.short_name == "DiakoMigra"
    for username in ("staff-diakonie", "teacher-diakonie", "caseworker-jobcenter", "learner-demo"):
        assert client.login(username=username, password=PASSWORD), username


@pytest.mark.django_db
def test_app_demo_hooks_get_the_context_in_dependency_order(monkeypatch):
    from core.management.commands import seed_demo

    seen = {}

    def seed(ctx):
        seen["ctx"] = ctx

    real = seed_demo.demo_seeds()
    order = [demo.app_label for demo in real]
    assert order[:2] == ["people", "courses"]
    assert order.index("enrolment") < order.index("attendance") < order.index("jobcenter")

    module = types.ModuleType("fakeapp.demo")
    module.seed = seed
    monkeypatch.setitem(sys.modules, "fakeapp", types.ModuleType("fakeapp"))
    monkeypatch.setitem(sys.modules, "fakeapp.demo", module)
    base = [d for d in real if d.app_label in {"people", "courses"}]
    monkeypatch.setattr(
        seed_demo, "demo_seeds", lambda: [*base, seed_demo.DemoSeed("fakeapp", seed)]
    )
    monkeypatch.setattr("people.demo.learners.LEARNERS_PER_PROVIDER", 3)
    monkeypatch.setattr(
        courses.demo, "PROVIDER_COURSES", {spec.key: (4,) for spec in people.demo.PROVIDERS}
    )
    call_command("seed_demo", stdout=StringIO())
    ctx = seen["ctx"]
    assert len(ctx.providers) == 5 and ctx.jobcenter.kind == "jobcenter"
    assert set(ctx.staff) == {p.pk for p in ctx.providers}
    assert all(ctx.teachers[p.pk] for p in ctx.providers)
    assert all(ctx.locations[p] for p in ctx.providers)
    assert len(ctx.courses) == 5 and len(ctx.learners) == 15
    assert ctx.learners[0].user == ctx.learner_user
    assert ctx.password == PASSWORD and ctx.caseworker.username == "caseworker-jobcenter"
