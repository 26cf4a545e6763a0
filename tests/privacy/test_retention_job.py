"""The retention job as a whole: legal holds, idempotence, dry run, provider periods, the
declarations every model makes, and reports that give the same figures before and after."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.utils import translation

from core.errors import DomainError
from core.retention import declarations, declares
from enrolment.models import Enrolment, LoginCode
from internships.models import Placement
from people.models import Learner
from privacy.declarations import all_declared, project_models
from privacy.models import DeletionLog, LegalHold, ProviderRetentionRule, RetentionRule
from privacy.periods import Unit
from privacy.services import retention as job
from privacy.services.settings import provider_period_set
from reports.access import report_scope
from reports.frames import Filters, attendance, dropouts, internships, occupancy, waiting_time
from reports.frames.attendance import GROUPINGS
from tests.privacy.conftest import D, at, run
from tests.reports.conftest import rw  # noqa: F401 (the reports' hand-counted data set)

pytestmark = pytest.mark.django_db


# --- every model declares its class ---------------------------------------------------------


def test_every_model_of_the_project_declares_its_retention():
    undeclared = [m._meta.label for m in project_models() if not declares(m)]
    assert undeclared == []
    labels = {m._meta.label for m in project_models()}
    assert {"people.Learner", "attendance.AttendanceRecord", "privacy.LegalHold"} <= labels
    assert not any(label.startswith(("auth.", "auditlog.")) for label in labels)


def test_every_declared_class_has_rule_data_and_every_path_resolves():
    rules = RetentionRule.objects.in_force(dt.date.today())
    ctx = job.Context(dt.date.today())
    for d in all_declared():
        assert d.retention.key in rules, d.label
        if d.own_period:
            job.due(d, ctx).count()  # every path and expression is valid SQL
        for path in (d.retention.provider, d.retention.course, d.retention.learner):
            if path:
                d.model._base_manager.values(path).first()


def test_followers_leave_with_their_owner():
    for d in all_declared():
        if d.retention.follows:
            field = d.model._meta.get_field(d.retention.follows)
            assert field.remote_field.on_delete is models.CASCADE, d.label


def test_the_classes_of_apps_still_to_come_exist_as_rule_data():
    rules = RetentionRule.objects.in_force(dt.date.today())
    conduct = rules["certificate_of_conduct"]
    assert (conduct.period, conduct.unit) == (6, Unit.MONTHS)  # § 30a BZRG, DESIGN §8
    assert "72a" in conduct.legal_source
    assert rules["referrals"].period == 1
    assert rules["attendance_records"].legal_duty and rules["attendance_records"].period == 5


def test_a_model_without_a_declaration_is_found():
    class Undeclared(models.Model):
        note = models.CharField(max_length=10)

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return self.note

    try:
        assert not declares(Undeclared)
        assert declarations(Undeclared) == ()
    finally:
        apps.all_models["privacy"].pop("undeclared", None)
        apps.clear_cache()


# --- legal holds ------------------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["provider", "course", "learner"])
def test_a_legal_hold_keeps_everything_it_covers_until_it_ends(old, scope):
    code = LoginCode.objects.create(
        learner=old.learner, code_hash="h" * 64, expires_at=at(D(2020, 1, 1))
    )
    hold = LegalHold.objects.create(
        provider=old.a.provider,
        course=old.course if scope == "course" else None,
        learner=old.learner if scope == "learner" else None,
        reason="BAMF-Prüfung",
        starts_on=D(2024, 1, 1),
        ends_on=D(2025, 3, 31),
    )
    report = run(D(2025, 3, 31))
    old.first.refresh_from_db()
    old.enrolment.refresh_from_db()
    assert old.first.note == "pünktlich" and old.enrolment.created_by_id == old.a.staff.pk
    assert Learner.objects.get(pk=old.learner.pk).first_name == old.learner.first_name
    assert report.held >= 2  # the enrolment and its register row were due
    # the login code hangs on the learner, not the course: only a course hold lets it go
    assert LoginCode.objects.filter(pk=code.pk).exists() == (scope != "course")

    run(D(2025, 4, 1))  # the hold ended the day before
    old.first.refresh_from_db()
    assert old.first.note == ""
    assert Learner.all_objects.get(pk=old.learner.pk).last_name == ""
    assert LegalHold.objects.filter(pk=hold.pk).exists()  # its own record stays for 3 years


def test_a_hold_of_another_provider_keeps_nothing_here(old):
    LegalHold.objects.create(
        provider=old.world.b.provider,
        reason="Klage",
        starts_on=D(2024, 1, 1),
        ends_on=D(2026, 1, 1),
    )
    run(D(2025, 1, 1))
    old.first.refresh_from_db()
    assert old.first.note == ""


def test_holds_and_their_changes_are_audited(old):
    hold = LegalHold.objects.create(
        provider=old.a.provider, reason="Klage", starts_on=D(2024, 1, 1), ends_on=D(2025, 1, 1)
    )
    hold.ends_on = D(2025, 6, 30)
    hold.save()
    actions = list(LogEntry.objects.get_for_object(hold).values_list("action", flat=True))
    assert sorted(actions) == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]


def test_a_hold_checks_its_scope(old):
    hold = LegalHold(
        provider=old.a.provider,
        learner=old.world.b.learners[0],
        reason="x",
        starts_on=D(2024, 1, 1),
        ends_on=D(2024, 2, 1),
    )
    with pytest.raises(ValidationError) as error:
        hold.full_clean()
    assert "learner" in error.value.message_dict


# --- idempotent, dry run, batches ----------------------------------------------------------


def _snapshot() -> dict:
    out = {}
    for model in project_models():
        if model is DeletionLog:
            continue
        rows = model._base_manager.order_by("pk").values()
        out[model._meta.label] = [tuple(sorted(r.items())) for r in rows]
    return out


def test_the_job_run_twice_changes_nothing(old):
    LoginCode.objects.create(learner=old.learner, code_hash="c" * 64, expires_at=at(D(2020, 1, 1)))
    first = run(D(2025, 1, 1))
    assert first.total > 0
    before, logged = _snapshot(), DeletionLog.objects.count()
    second = run(D(2025, 1, 1))
    assert second.lines == () and second.total == 0
    assert _snapshot() == before
    assert DeletionLog.objects.count() == logged


def test_a_dry_run_lists_what_a_run_does_and_changes_nothing(old):
    LoginCode.objects.create(learner=old.learner, code_hash="d" * 64, expires_at=at(D(2020, 1, 1)))
    before = _snapshot()
    planned = run(D(2025, 1, 1), dry_run=True)
    assert _snapshot() == before and DeletionLog.objects.count() == 0
    lines = {(line.key, line.model, line.action): line.count for line in planned.lines}
    assert lines[("login_codes", "enrolment.LoginCode", "deleted")] == 1
    assert lines[("attendance_records", "enrolment.Enrolment", "anonymised")] == 1
    assert lines[("attendance_records", "attendance.AttendanceRecord", "anonymised")] == 1
    done = run(D(2025, 1, 1))
    did = {(line.key, line.model, line.action): line.count for line in done.lines}
    for key, count in lines.items():
        assert did[key] == count


def test_the_job_works_in_batches(old, monkeypatch):
    monkeypatch.setattr("privacy.services.retention.rows.BATCH_SIZE", 2)
    for n in range(5):
        LoginCode.objects.create(
            learner=old.learner, code_hash=f"{n}" * 64, expires_at=at(D(2020, 1, 1))
        )
    run(D(2025, 1, 1))
    assert not LoginCode.objects.exists()


def test_the_command_lists_a_dry_run(old):
    LoginCode.objects.create(learner=old.learner, code_hash="e" * 64, expires_at=at(D(2020, 1, 1)))
    out = StringIO()
    call_command("retention_run", "--dry-run", "--date", "2025-01-01", stdout=out)
    text = out.getvalue()
    assert "login_codes" in text and "would be deleted" in text
    assert LoginCode.objects.exists()
    call_command("retention_run", "--date", "2025-01-01", stdout=StringIO())
    assert not LoginCode.objects.exists()


def test_the_audit_log_of_anonymised_rows_goes_too(old):
    old.learner.phone = "0176 111"
    old.learner.save()  # auditlog records the change with the old and new number
    assert LogEntry.objects.get_for_object(old.learner).exists()
    run(D(2025, 1, 1))
    assert not LogEntry.objects.get_for_object(Learner.all_objects.get(pk=old.learner.pk)).exists()


# --- provider periods -------------------------------------------------------------------------


def test_a_provider_may_shorten_a_period_and_its_rows_go_earlier(world):
    code_a = LoginCode.objects.create(
        learner=world.a.learners[0], code_hash="a" * 64, expires_at=at(D(2024, 1, 10), 12)
    )
    code_b = LoginCode.objects.create(
        learner=world.b.learners[0], code_hash="b" * 64, expires_at=at(D(2024, 1, 10), 12)
    )
    provider_period_set(
        provider=world.a.provider,
        key="login_codes",
        amount=7,
        unit=Unit.DAYS,
        valid_from=D(2024, 1, 1),
        by=world.a.staff,
    )
    run(D(2024, 1, 17))
    assert LoginCode.objects.filter(pk=code_a.pk).exists()
    run(D(2024, 1, 18))  # 10.01. + 7 days = 17.01.
    assert not LoginCode.objects.filter(pk=code_a.pk).exists()
    assert LoginCode.objects.filter(pk=code_b.pk).exists()  # the other provider: 30 days


def test_a_provider_can_neither_extend_a_period_nor_cut_a_legal_duty(world):
    with pytest.raises(DomainError) as longer:
        provider_period_set(
            provider=world.a.provider,
            key="login_codes",
            amount=2,
            unit=Unit.MONTHS,
            valid_from=D(2024, 1, 1),
        )
    assert longer.value.code == "not_shorter"
    with pytest.raises(DomainError) as duty:
        provider_period_set(
            provider=world.a.provider,
            key="attendance_records",
            amount=1,
            unit=Unit.YEARS,
            valid_from=D(2024, 1, 1),
        )
    assert duty.value.code == "legal_duty"
    row = ProviderRetentionRule(
        provider=world.a.provider, key="checkin_metadata", period=8, unit=Unit.WEEKS
    )
    with pytest.raises(ValidationError):
        row.full_clean()
    with pytest.raises(DomainError):
        provider_period_set(
            provider=world.a.provider,
            key="login_codes",
            amount=7,
            unit=Unit.DAYS,
            valid_from=D(2024, 1, 1),
            by=world.b.staff,
        )


# --- reports keep their figures ---------------------------------------------------------------


JAN_FEB = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 2, 28))


def _figures(scope) -> dict:
    out = {}
    for name, build in [
        ("occupancy", occupancy),
        ("dropouts", dropouts),
        ("waiting", waiting_time),
        ("internships", internships),
    ]:
        result = build(scope, JAN_FEB)
        out[name] = (result.df.to_dict("records"), result.totals)
    for group in GROUPINGS:
        filters = Filters(date_from=JAN_FEB.date_from, date_to=JAN_FEB.date_to, group_by=group)
        result = attendance(scope, filters)
        out[f"attendance:{group}"] = (result.df.to_dict("records"), result.totals)
    return out


def test_anonymised_records_give_the_same_report_figures(rw):  # noqa: F811
    e1 = rw.enrolments.e1
    first = e1.attendance.order_by("session__date").first()
    first.note = "kam mit Kind"
    first.recorded_by = rw.a.teacher
    first.checked_in_at = at(D(2026, 1, 5), 8, 20)
    first.save()
    Enrolment.objects.filter(pk=rw.enrolments.e6.pk).update(withdrawal_note="krank (Attest)")
    Placement.objects.filter(learner=rw.learners.l1).update(supervisor_name="Herr Kruse")
    with translation.override("en"):
        scope = report_scope(user=rw.a.staff)
        before = _figures(scope)
        assert before["attendance:course"][1]["ue_held"] > 0  # there is something to compare
        report = run(D(2033, 1, 1))  # long after every period of the data set
        after = _figures(scope)
    actions = {(line.model, line.action) for line in report.lines}
    assert ("people.Learner", "anonymised") in actions
    assert ("attendance.AttendanceRecord", "anonymised") in actions
    assert ("internships.Placement", "anonymised") in actions
    assert after == before
    l1 = Learner.all_objects.get(pk=rw.learners.l1.pk)
    assert (l1.first_name, l1.last_name, l1.date_of_birth) == ("", "", None)
    first.refresh_from_db()
    assert (first.note, first.recorded_by_id, first.checked_in_at) == ("", None, None)
    assert Enrolment.objects.get(pk=rw.enrolments.e6.pk).withdrawal_note == ""
