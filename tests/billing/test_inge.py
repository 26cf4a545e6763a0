"""The InGe outbox: reports derived from the course data, checked against the form's rules
before they can be marked ready, shown in the form's order, frozen once sent, corrected only by
a linked correction report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from billing.inge import format as inge_format
from billing.inge.services import (
    InGeError,
    inge_correction_create,
    inge_form,
    inge_mark_ready,
    inge_mark_sent,
    inge_sync_course,
    sent_changes,
)
from billing.models import InGeReport, TeacherAdmission
from certificates.models import TestResult
from core.errors import ConflictError
from courses.models import Session, TimetableSlot
from enrolment.services import enrolment_create, enrolment_withdraw
from tests.billing.inge_fixtures import BEFORE_START, MODULE_2_START, missing_keys, report
from tests.certificates.helpers import COURSE_START
from tests.factories import EnrolmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db
Kind = InGeReport.Kind
Status = InGeReport.Status

# --- which reports the data calls for --------------------------------------------------------


def test_before_the_start_the_course_start_and_the_entries_are_due(inge):
    result = inge_sync_course(course=inge.course, today=BEFORE_START)
    kinds = sorted(InGeReport.objects.filter(course=inge.course).values_list("kind", "enrolment"))
    assert kinds == sorted(
        [(Kind.COURSE_START, None)] + [(Kind.ENTRY, e.pk) for e in inge.enrolments]
    )
    assert result.created == 3
    assert {r.due_on for r in InGeReport.objects.all()} == {COURSE_START}
    assert {r.status for r in InGeReport.objects.all()} == {Status.TODO}
    assert {r.missing for r in InGeReport.objects.all()} == {0}


def test_a_module_start_is_prepared_two_weeks_ahead(inge):
    inge_sync_course(course=inge.course, today=MODULE_2_START - dt.timedelta(days=15))
    assert not InGeReport.objects.filter(kind=Kind.MODULE_START).exists()
    inge_sync_course(course=inge.course, today=MODULE_2_START - dt.timedelta(days=14))
    module_start = report(inge.course, Kind.MODULE_START)
    assert module_start.module.order == 2
    assert module_start.due_on == MODULE_2_START


def test_the_sync_is_idempotent(inge):
    inge_sync_course(course=inge.course, today=BEFORE_START)
    again = inge_sync_course(course=inge.course, today=BEFORE_START)
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    assert InGeReport.objects.count() == 3


def test_a_withdrawal_is_reported_as_an_exit_with_its_reason(inge):
    e = inge.enrolments[1]
    enrolment_withdraw(enrolment=e, reason="work", on=dt.date(2026, 1, 20))
    inge_sync_course(course=inge.course, today=dt.date(2026, 1, 21))
    exit_report = report(inge.course, Kind.EXIT, enrolment=e)
    values = {v["label"]: v["value"] for v in exit_report.values}
    assert values["Austrittsdatum"] == "20.01.2026"
    assert values["Austrittsgrund"] == "Arbeitsaufnahme"
    assert values["Kennziffer (BAMF-Teilnehmernummer)"] == "K-1"
    assert exit_report.due_on == dt.date(2026, 1, 20)


def test_a_learner_who_left_before_entering_has_no_entry_and_no_exit(inge):
    late = EnrolmentFactory(
        course=inge.course,
        learner=LearnerFactory(provider=inge.a.provider),
        start_date=MODULE_2_START,
    )
    enrolment_withdraw(enrolment=late, reason="moving", on=dt.date(2026, 1, 20))
    inge_sync_course(course=inge.course, today=dt.date(2026, 3, 1))
    assert not InGeReport.objects.filter(enrolment=late).exists()


def test_a_dtz_result_is_registered_a_module_test_is_not(inge):
    learner, e = inge.learners[0], inge.enrolments[0]
    dtz = TestResult.objects.create(
        learner=learner, course=inge.course, exam="dtz", taken_on=dt.date(2026, 6, 20), result="B1"
    )
    TestResult.objects.create(
        learner=learner,
        course=inge.course,
        exam="module",
        taken_on=dt.date(2026, 1, 30),
        result="x",
    )
    inge_sync_course(course=inge.course, today=dt.date(2026, 1, 10))
    tests = InGeReport.objects.filter(kind=Kind.TEST_ENTRY)
    assert [(t.test_result_id, t.enrolment_id) for t in tests] == [(dtz.pk, e.pk)]
    values = {v["label"]: v["value"] for v in tests[0].values}
    assert values["Prüfung"] == "Deutsch-Test für Zuwanderer (DTZ)"
    assert values["Prüfungsdatum"] == "20.06.2026"


def test_an_open_report_whose_fact_is_gone_is_dropped_a_sent_one_stays(inge):
    inge_sync_course(course=inge.course, today=BEFORE_START)
    gone, kept = inge.enrolments
    sent = report(inge.course, Kind.ENTRY, enrolment=kept)
    inge_mark_ready(report=sent, by=inge.a.staff)
    inge_mark_sent(report=sent, by=inge.a.staff, sent_on=BEFORE_START)
    for e in inge.enrolments:  # both were only applications after all
        e.status, e.start_date = "applied", None
        e.save()
    inge_sync_course(course=inge.course, today=BEFORE_START)
    assert not InGeReport.objects.filter(enrolment=gone).exists()
    assert report(inge.course, Kind.ENTRY, enrolment=kept).is_sent


def test_reports_appear_when_the_learner_is_enrolled(
    inge, django_capture_on_commit_callbacks, monkeypatch
):
    """Through the outbox: the enrolment service's learner event brings the course's reports up
    to date after the commit (here: today lies after the entry, so the entry is due)."""
    from billing.inge import tasks

    synced: list[int] = []
    enqueue = tasks.inge_course_sync.enqueue

    class CountingSync:
        def enqueue(self, *, course_id):
            synced.append(course_id)
            return enqueue(course_id=course_id)

    monkeypatch.setattr(tasks, "inge_course_sync", CountingSync())
    learner = LearnerFactory(provider=inge.a.provider, bamf_number="K-new")
    inge.course.status = "open"
    inge.course.save()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(
            course=inge.course,
            learner=learner,
            by=inge.a.staff,
            entry_date=timezone.localdate(),
            confirm_late_entry=True,
        )
    assert InGeReport.objects.filter(kind=Kind.ENTRY, enrolment=enrolment).exists()
    assert report(inge.course, Kind.COURSE_START)
    # One sync per course and transaction, whatever else the enrolment recorded.
    assert synced.count(inge.course.pk) == 1


def test_a_recorded_dtz_result_brings_its_registration(inge, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        TestResult.objects.create(
            learner=inge.learners[0],
            course=inge.course,
            exam="lid",
            taken_on=timezone.localdate(),
            result="30/33",
        )
    assert InGeReport.objects.filter(kind=Kind.TEST_ENTRY).count() == 1


# --- the form's order ------------------------------------------------------------------------


def test_the_course_start_follows_the_form(inge):
    inge_sync_course(course=inge.course, today=BEFORE_START)
    inge.course.refresh_from_db()
    rows = [(v["label"], v["value"]) for v in report(inge.course, Kind.COURSE_START).values]
    assert rows == [
        ("Trägernummer", "T-4711"),
        ("Kursnummer", "IK-123/2026"),
        ("Kursart", inge.course.course_type.name_de),  # the form is German
        ("Kursort (Anschrift)", "Diakonie Haus, Bahnhofstraße 1, 25421 Pinneberg"),
        ("Kursbeginn", "05.01.2026"),
        ("Voraussichtliches Kursende", inge.course.end_date.strftime("%d.%m.%Y")),
        ("Kursabschnitt bei Kursbeginn", "1"),
        ("Unterrichtseinheiten", "100"),
        (
            "Unterrichtszeiten",
            "Mo 08:30–12:45; Di 08:30–12:45; Mi 08:30–12:45; Do 08:30–12:45; Fr 08:30–12:45",
        ),
        ("UE pro Woche", "25"),
        ("Lehrkraft", "Lena Lehrer"),
        ("Zulassungsnummer der Lehrkraft", "LK-99"),
        ("Teilnehmende bei Kursbeginn", "2"),
    ]


def test_the_entry_follows_the_form(inge):
    inge_sync_course(course=inge.course, today=BEFORE_START)
    rows = [
        (v["label"], v["value"])
        for v in report(inge.course, Kind.ENTRY, enrolment=inge.enrolments[0]).values
    ]
    assert rows == [
        ("Kursnummer", "IK-123/2026"),
        ("Kennziffer (BAMF-Teilnehmernummer)", "K-0"),
        ("Name", "Aziz"),
        ("Vorname", "Amal"),
        ("Geburtsdatum", "01.03.1990"),
        ("Teilnahmeberechtigung", "Berechtigung BAMF-2025-1"),
        ("Ausgestellt am / durch", "01.12.2025 / BAMF"),
        ("Eintrittsdatum", "05.01.2026"),
        ("Kursabschnitt bei Eintritt", "1"),
    ]


def test_the_module_start_follows_the_form(inge):
    inge_sync_course(course=inge.course, today=MODULE_2_START)
    labels = [v["label"] for v in report(inge.course, Kind.MODULE_START).values]
    assert labels == [
        "Kursnummer",
        "Kursabschnitt",
        "Bezeichnung",
        "Beginn",
        "Voraussichtliches Ende",
        "Unterrichtseinheiten",
        "Lehrkraft",
        "Zulassungsnummer der Lehrkraft",
        "Kursort (Anschrift)",
    ]


# --- every required item, named ------------------------------------------------------------


def _no_course_number(inge):
    inge.course.bamf_course_number = " "
    inge.course.save()


def _no_provider_number(inge):
    inge.a.provider.bamf_provider_number = ""
    inge.a.provider.save()


def _no_street(inge):
    inge.a.location.street = ""
    inge.a.location.save()


def _no_timetable(inge):
    TimetableSlot.objects.filter(course=inge.course).delete()


def _no_teacher(inge):
    inge.course.teachers.clear()


def _admission_expired(inge):
    TeacherAdmission.objects.update(
        admitted_on=dt.date(2020, 1, 1), expires_on=dt.date(2025, 12, 31)
    )


def _admission_missing(inge):
    TeacherAdmission.objects.all().delete()


def _module_one_day_short(inge):
    first = inge.course.sessions.filter(module=inge.course.first_module).order_by("date").last()
    Session.objects.filter(pk=first.pk).update(status=Session.Status.CANCELLED)


def _no_kennziffer(inge):
    inge.learners[0].bamf_number = ""
    inge.learners[0].save()


def _no_birth_date(inge):
    type(inge.learners[0]).all_objects.filter(pk=inge.learners[0].pk).update(date_of_birth=None)


def _no_entitlement(inge):
    inge.learners[0].entitlements.all().delete()


def _entitlement_expired(inge):
    inge.learners[0].entitlements.update(
        issued_on=dt.date(2024, 6, 1), expires_on=dt.date(2025, 5, 31)
    )


def _entry_before_the_course(inge):
    inge.enrolments[0].start_date = dt.date(2026, 1, 2)
    inge.enrolments[0].save()


CASES = [
    (_no_course_number, Kind.COURSE_START, ["kursnummer"]),
    (_no_course_number, Kind.ENTRY, ["kursnummer"]),
    (_no_provider_number, Kind.COURSE_START, ["traegernummer"]),
    (_no_street, Kind.COURSE_START, ["kursort"]),
    (_no_timetable, Kind.COURSE_START, ["unterrichtszeiten"]),
    (_no_teacher, Kind.COURSE_START, ["lehrkraft"]),
    (_admission_expired, Kind.COURSE_START, ["zulassung"]),
    (_admission_missing, Kind.COURSE_START, ["zulassung"]),
    (_module_one_day_short, Kind.COURSE_START, ["ue"]),
    (_no_kennziffer, Kind.ENTRY, ["kennziffer"]),
    (_no_birth_date, Kind.ENTRY, ["geburtsdatum"]),
    (_no_entitlement, Kind.ENTRY, ["berechtigung"]),
    (_entitlement_expired, Kind.ENTRY, ["berechtigung"]),
    (_entry_before_the_course, Kind.ENTRY, ["eintritt"]),
]


@pytest.mark.parametrize(("defect", "kind", "keys"), CASES, ids=[c[0].__name__ for c in CASES])
def test_each_missing_item_is_named_with_what_to_do(inge, defect, kind, keys):
    inge_sync_course(course=inge.course, today=BEFORE_START)
    filters = {"enrolment": inge.enrolments[0]} if kind == Kind.ENTRY else {}
    rep = report(inge.course, kind, **filters)
    assert missing_keys(rep) == []
    defect(inge)
    inge_sync_course(course=inge.course, today=BEFORE_START)
    rep.refresh_from_db()
    form = inge_form(rep)
    assert sorted({m.key for m in form.missing}) == keys
    assert rep.missing == len(form.missing)
    assert all(m.message and m.todo and m.label for m in form.missing)
    with pytest.raises(InGeError) as refused:
        inge_mark_ready(report=rep, by=inge.a.staff)
    assert refused.value.code == "report_incomplete"


def test_the_module_start_needs_an_admitted_teacher_on_its_first_day(inge):
    TeacherAdmission.objects.update(expires_on=MODULE_2_START - dt.timedelta(days=1))
    inge_sync_course(course=inge.course, today=MODULE_2_START)
    assert missing_keys(report(inge.course, Kind.COURSE_START)) == []
    assert missing_keys(report(inge.course, Kind.MODULE_START)) == ["zulassung"]


def test_too_many_learners_at_the_start(inge):
    for _ in range(24):
        EnrolmentFactory(
            course=inge.course, learner=LearnerFactory(provider=inge.a.provider, bamf_number="K")
        )
    inge_sync_course(course=inge.course, today=BEFORE_START)
    rep = report(inge.course, Kind.COURSE_START)
    assert missing_keys(rep) == ["teilnehmende"]


def test_every_report_kind_has_a_form_and_a_title():
    assert set(inge_format.TITLES) == set(Kind.values)


# --- ready, sent, frozen, corrected ------------------------------------------------------------


def _ready_and_sent(rep, by, on=BEFORE_START):
    inge_mark_ready(report=rep, by=by)
    return inge_mark_sent(report=rep, by=by, sent_on=on)


def test_a_report_is_sent_only_once_ready(inge):
    inge_sync_course(course=inge.course, today=BEFORE_START)
    rep = report(inge.course, Kind.COURSE_START)
    with pytest.raises(InGeError) as refused:
        inge_mark_sent(report=rep, by=inge.a.staff, sent_on=BEFORE_START)
    assert refused.value.code == "report_not_ready"
    inge_mark_ready(report=rep, by=inge.a.staff)
    rep.refresh_from_db()
    assert (rep.status, rep.ready_by) == (Status.READY, inge.a.staff)
    with pytest.raises(InGeError) as future:
        inge_mark_sent(
            report=rep, by=inge.a.staff, sent_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert future.value.code == "sent_on_future"
    inge_mark_sent(report=rep, by=inge.a.staff, sent_on=BEFORE_START)
    rep.refresh_from_db()
    assert (rep.status, rep.sent_on, rep.sent_by) == (Status.SENT, BEFORE_START, inge.a.staff)
    with pytest.raises(ConflictError):
        inge_mark_sent(report=rep, by=inge.a.staff, sent_on=BEFORE_START)
    with pytest.raises(ConflictError):
        inge_mark_ready(report=rep, by=inge.a.staff)


def test_a_ready_report_falls_back_when_its_data_breaks(inge):
    inge_sync_course(course=inge.course, today=BEFORE_START)
    rep = report(inge.course, Kind.COURSE_START)
    inge_mark_ready(report=rep, by=inge.a.staff)
    _no_course_number(inge)
    inge_sync_course(course=inge.course, today=BEFORE_START)
    rep.refresh_from_db()
    assert (rep.status, rep.missing) == (Status.TODO, 1)


def test_a_sent_report_never_changes(inge):
    inge_sync_course(course=inge.course, today=BEFORE_START)
    rep = _ready_and_sent(report(inge.course, Kind.COURSE_START), inge.a.staff)
    sent_values = list(rep.values)
    inge.course.bamf_course_number = "IK-999/2026"
    inge.course.save()
    inge_sync_course(course=inge.course, today=BEFORE_START)
    rep.refresh_from_db()
    assert rep.values == sent_values
    assert {"label": "Kursnummer", "key": "kursnummer", "value": "IK-123/2026"} in rep.values
    changes = sent_changes(rep, inge_form(rep))
    assert [(c.label, c.sent, c.now) for c in changes] == [
        ("Kursnummer", "IK-123/2026", "IK-999/2026")
    ]


def test_a_correction_follows_a_sent_report(inge):
    inge_sync_course(course=inge.course, today=BEFORE_START)
    original = _ready_and_sent(
        report(inge.course, Kind.ENTRY, enrolment=inge.enrolments[0]), inge.a.staff
    )
    inge.learners[0].bamf_number = "K-0-neu"
    inge.learners[0].save()
    correction = inge_correction_create(report=original)
    assert correction.corrects == original and correction.kind == Kind.ENTRY
    assert correction.values[0] == {
        "key": "korrektur",
        "label": "Korrektur der Meldung vom",
        "value": BEFORE_START.strftime("%d.%m.%Y"),
    }
    assert {
        "key": "kennziffer",
        "label": "Kennziffer (BAMF-Teilnehmernummer)",
        "value": "K-0-neu",
    } in (correction.values)
    assert inge_correction_create(report=original) == correction  # one open correction
    inge_mark_ready(report=correction, by=inge.a.staff)
    with pytest.raises(InGeError) as early:
        inge_mark_sent(
            report=correction, by=inge.a.staff, sent_on=BEFORE_START - dt.timedelta(days=1)
        )
    assert early.value.code == "sent_on_before_original"
    inge_mark_sent(report=correction, by=inge.a.staff, sent_on=BEFORE_START)
    original.refresh_from_db()
    assert (
        original.is_sent
        and {"key": "kennziffer", "label": "Kennziffer (BAMF-Teilnehmernummer)", "value": "K-0"}
        in original.values
    )
    # The sync keeps both: the original's key is the correction's too.
    inge_sync_course(course=inge.course, today=BEFORE_START)
    assert InGeReport.objects.filter(enrolment=inge.enrolments[0], kind=Kind.ENTRY).count() == 2


def test_only_a_sent_report_is_corrected(inge):
    inge_sync_course(course=inge.course, today=BEFORE_START)
    with pytest.raises(InGeError) as refused:
        inge_correction_create(report=report(inge.course, Kind.COURSE_START))
    assert refused.value.code == "report_not_sent"


def test_the_form_stays_german_in_any_interface_language(inge):
    """The values are the InGe form's German texts whatever language staff work in."""
    from django.utils import translation

    course_type = inge.course.course_type
    course_type.name_ar = "دورة الاندماج"
    course_type.save()
    with translation.override("ar"):
        inge_sync_course(course=inge.course, today=BEFORE_START)
    values = {
        v["label"]: v["value"]
        for v in report(inge.course, Kind.ENTRY, enrolment=inge.enrolments[0]).values
    }
    assert values["Ausgestellt am / durch"] == "01.12.2025 / BAMF"
    assert values["Teilnahmeberechtigung"] == "Berechtigung BAMF-2025-1"
    start = {v["label"]: v["value"] for v in report(inge.course, Kind.COURSE_START).values}
    assert start["Kursart"] == inge.course.course_type.name_de
