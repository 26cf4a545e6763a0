"""Report figures against hand-computed expectations (see conftest for the data set)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from attendance.selectors import attendance_figures
from enrolment.models import Enrolment
from reports.access import report_scope
from reports.frames import Filters, attendance, dropouts, internships, occupancy, waiting_time
from tests.factories import AttendanceRecordFactory, SessionSignOffFactory

D = dt.date
JAN_FEB = Filters(date_from=D(2026, 1, 1), date_to=D(2026, 2, 28))
WEEK1 = Filters(date_from=D(2026, 1, 5), date_to=D(2026, 1, 9))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rows(df, key):
    return {r[key]: r for r in df.to_dict("records")}


@pytest.fixture
def staff_a(rw):
    return report_scope(user=rw.a.staff)


def test_attendance_per_course_matches_hand_count(rw, staff_a):
    result = attendance(staff_a, WEEK1)
    by = rows(result.df, "group")
    p1 = by["P1 Integrationskurs"]
    assert (p1["learners"], p1["ue_held"], p1["ue_attended"]) == (3, 65, 50.0)
    assert p1["rate_pct"] == 76.9
    assert (p1["excused_days"], p1["unexcused_days"]) == (1, 1)
    # P2 starts 12.01.: no UE held in week 1, and its withdrawn learner has no record then.
    assert "P2 Berufssprachkurs" not in by or by["P2 Berufssprachkurs"]["ue_held"] == 0
    assert "Q1 fremd" not in by  # provider b's course is not in a's scope
    assert result.totals["rate_pct"] == 76.9


def test_attendance_agrees_with_attendance_figures(rw, staff_a):
    """The report and the per-enrolment selector apply the same rule, and both give the
    hand-counted figures of week 1 (conftest): held 25 + 25 + 15, attended 25 + 10 + 15."""
    enrolments = Enrolment.objects.filter(course=rw.p1, status__in=["enrolled", "withdrawn"])
    figures = attendance_figures(enrolments, until=WEEK1.date_to)
    held = sum(f.ue_held for f in figures.values())
    attended = sum(float(f.ue_attended) for f in figures.values())
    assert (held, attended) == (65, 50.0)
    by = rows(attendance(staff_a, WEEK1).df, "group")
    assert by["P1 Integrationskurs"]["ue_held"] == 65
    assert by["P1 Integrationskurs"]["ue_attended"] == 50.0


def test_attendance_by_learner_group(rw, staff_a):
    obliged = rows(
        attendance(staff_a, Filters(**{**WEEK1.__dict__, "group_by": "obligation"})).df, "group"
    )
    assert obliged["Obliged"]["rate_pct"] == 40.0  # L2: 10 of 25 UE
    assert obliged["Entitled (not obliged)"]["rate_pct"] == 100.0  # L1 25/25, L3 15/15
    languages = rows(
        attendance(staff_a, Filters(**{**WEEK1.__dict__, "group_by": "language"})).df, "group"
    )
    assert languages["العربية"]["ue_held"] == 50
    assert languages["العربية"]["rate_pct"] == 70.0
    assert languages["Українська"]["rate_pct"] == 100.0


def test_attendance_by_module_and_location(rw, staff_a):
    modules = attendance(staff_a, Filters(**{**WEEK1.__dict__, "group_by": "module"})).df
    assert list(modules["ue_held"]) == [65]
    assert modules["group"][0].startswith("Kursabschnitt 1")
    feb = Filters(date_from=D(2026, 1, 12), date_to=D(2026, 1, 12), group_by="location")
    by = rows(attendance(staff_a, feb).df, "group")
    # 12.01.: P1 holds 5 UE for L1, L2, L3, L5 (no records); P2 5 for L6, who was present.
    assert by["Diakonie Haus"]["ue_held"] == 20 and by["Diakonie Haus"]["ue_attended"] == 0
    assert by["Nebenstelle"]["rate_pct"] == 100.0


def test_teacher_sees_only_own_course_figures(rw):
    scope = report_scope(user=rw.a.other_teacher)
    by = rows(
        attendance(scope, Filters(date_from=D(2026, 1, 1), date_to=D(2026, 1, 31))).df, "group"
    )
    assert set(by) == {"P2 Berufssprachkurs"}
    occ = occupancy(scope, JAN_FEB).df
    assert set(occ["course"]) == {"P2 Berufssprachkurs"}
    assert dropouts(scope, JAN_FEB).totals["withdrawals"] == 1


def test_occupancy_per_course_and_month(rw, staff_a):
    df = occupancy(staff_a, JAN_FEB).df
    got = {
        (r["month"], r["course"]): (r["learners"], r["capacity"], r["occupancy_pct"])
        for r in df.to_dict("records")
    }
    assert got[("2026-01", "P1 Integrationskurs")] == (4, 25, 16.0)  # L1, L2, L3, L5 (left 20.01.)
    assert got[("2026-02", "P1 Integrationskurs")] == (3, 25, 12.0)
    assert got[("2026-01", "P2 Berufssprachkurs")] == (1, 20, 5.0)
    assert got[("2026-02", "P2 Berufssprachkurs")] == (1, 20, 5.0)  # L6 left 10.02.
    assert set(df["location"]) == {"Diakonie Haus", "Nebenstelle"}


def test_occupancy_location_and_course_type_filters(rw, staff_a):
    only_p2 = occupancy(
        staff_a, Filters(JAN_FEB.date_from, JAN_FEB.date_to, location_id=rw.other_location.pk)
    ).df
    assert set(only_p2["course"]) == {"P2 Berufssprachkurs"}
    general = occupancy(
        staff_a, Filters(JAN_FEB.date_from, JAN_FEB.date_to, course_type="general")
    ).df
    assert set(general["course"]) == {"P1 Integrationskurs"}


def test_dropouts_by_reason(rw, staff_a):
    result = dropouts(staff_a, JAN_FEB)
    by = rows(result.df, "reason")
    assert by["Work"]["withdrawals"] == 1 and by["Work"]["share_pct"] == 50.0
    assert by["Illness"]["withdrawals"] == 1
    assert by["Moving away"]["withdrawals"] == 0  # provider b's withdrawal is not counted
    assert result.totals["withdrawals"] == 2
    january = dropouts(staff_a, Filters(D(2026, 1, 1), D(2026, 1, 31)))
    assert january.totals["withdrawals"] == 1


def test_waiting_time_from_registration_to_start(rw, staff_a):
    by = rows(waiting_time(staff_a, JAN_FEB).df, "course_type")
    general = by["Allgemeiner Integrationskurs"]
    # L1 35 days, L2 65, L3 18 (entry 07.01.), L5 16 → mean 33.5, median 26.5; 3 of 4 within 42
    assert general["learners"] == 4
    assert (general["mean_days"], general["median_days"], general["max_days"]) == (33.5, 26.5, 65)
    assert general["within_limit_pct"] == 75.0 and general["limit_weeks"] == 6
    bsk = by["Berufssprachkurs B1 → B2"]
    assert (bsk["learners"], bsk["max_days"], bsk["limit_weeks"], bsk["within_limit_pct"]) == (
        1,
        11,
        4,
        100.0,
    )


def test_internship_outcomes(rw, staff_a):
    by = rows(internships(staff_a, JAN_FEB).df, "outcome")
    assert by["Job offer"]["placements"] == 1
    assert by["Job offer"]["mean_weeks"] == 4.0 and by["Job offer"]["mean_hours_per_week"] == 20.0
    assert by["Aborted"]["mean_weeks"] == 2.0
    # Only learner L1 sits in P1 for teacher a; L2 too — both placements; other_teacher has neither.
    assert internships(report_scope(user=rw.a.other_teacher), JAN_FEB).df.empty


def test_empty_period_gives_empty_tables(rw, staff_a):
    nothing = Filters(D(2020, 1, 1), D(2020, 1, 31))
    for build in (attendance, dropouts, waiting_time, internships):
        df = build(staff_a, nothing).df
        assert df.empty or df.select_dtypes("number").sum().sum() == 0
    assert occupancy(staff_a, nothing).df.empty


def test_self_checkins_count_once_the_day_is_signed(rw, staff_a):
    """Same rule as attendance.selectors.counted_records / attendance_figures."""
    friday = rw.p1.sessions.get(date=D(2026, 1, 9))
    AttendanceRecordFactory(session=friday, enrolment=rw.enrolments.e2, method="session_qr")
    enrolments = Enrolment.objects.filter(course=rw.p1, status__in=["enrolled", "withdrawn"])

    def both():
        by = rows(attendance(staff_a, WEEK1).df, "group")["P1 Integrationskurs"]
        figures = attendance_figures(enrolments, until=WEEK1.date_to)
        return by["ue_attended"], sum(float(f.ue_attended) for f in figures.values())

    assert both() == (50.0, 50.0)  # unsigned self check-in: not yet counted
    SessionSignOffFactory(session=friday, signed_by=rw.a.teacher)
    assert both() == (55.0, 55.0)


def test_charts_are_svg_data_uris_even_for_many_or_no_groups():
    import base64

    import pandas as pd

    from reports import charts
    from reports.frames import Result

    many = pd.DataFrame({"group": [f"Kurs {i}" for i in range(40)], "rate_pct": range(40)})
    for result in (Result(many), Result(many.head(0))):
        uri = charts.attendance_chart(result)
        assert uri.startswith("data:image/svg+xml;base64,")
        svg = base64.b64decode(uri.split(",", 1)[1]).decode()
        assert "<svg" in svg
    # 40 courses: only the 30 lowest get a bar, so the figure stays a readable height
    tall = base64.b64decode(charts.attendance_chart(Result(many)).split(",", 1)[1]).decode()
    thirty = base64.b64decode(charts.attendance_chart(Result(many.head(30))).split(",", 1)[1])
    height = lambda svg: float(svg.split('height="', 1)[1].split("pt", 1)[0])  # noqa: E731
    assert height(tall) == pytest.approx(height(thirty.decode()), rel=0.05)
