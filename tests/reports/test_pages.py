"""Dashboard, network view, report pages and exports: permissions, query counts, same numbers."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from attendance.models import Alert, AlertRule, AttendanceRecord
from courses.models import Course
from people.models import Role
from reports.access import report_scope
from reports.frames import REPORTS, Filters, labelled
from tests.factories import (
    EmployerFactory,
    EnrolmentFactory,
    InternshipFactory,
    LearnerFactory,
    LocationFactory,
    SessionSignOffFactory,
    make_course,
    member,
)

D = dt.date
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-02-28"}


def login(client, user):
    client.force_login(user)
    return client


# --- access ---------------------------------------------------------------------------------


def test_staff_sees_each_report_with_chart(rw, client):
    login(client, rw.a.staff)
    for slug in REPORTS:
        r = client.get(reverse("report-detail", args=[slug]), PERIOD)
        assert r.status_code == 200, slug
        body = r.content.decode()
        assert 'src="data:image/svg+xml;base64,' in body
        assert "style=" not in body  # strict CSP: no inline styles


def test_report_pages_for_outsiders(rw, client):
    url = reverse("report-detail", args=["attendance"])
    assert client.get(url).status_code == 302  # anonymous → login
    learner_user = member(rw.world.jobcenter, Role.CASEWORKER, username="cw-x")
    assert login(client, learner_user).get(url).status_code == 403
    # staff of b asking for a's provider: 404, no existence leak
    r = login(client, rw.b.staff).get(url, {"provider": rw.a.provider.pk})
    assert r.status_code == 404
    assert (
        client.get(
            reverse("report-monthly"), {"provider": rw.a.provider.pk, "month": "2026-01"}
        ).status_code
        == 404
    )
    assert client.get(reverse("report-detail", args=["nope"])).status_code == 404


def test_other_providers_figures_never_show(rw, client):
    r = login(client, rw.b.staff).get(reverse("report-detail", args=["attendance"]), PERIOD)
    body = r.content.decode()
    assert "Q1 fremd" in body and "P1 Integrationskurs" not in body


def test_teacher_sees_only_own_courses(rw, client):
    login(client, rw.a.teacher)
    body = client.get(reverse("report-detail", args=["attendance"]), PERIOD).content.decode()
    assert "P1 Integrationskurs" in body and "P2 Berufssprachkurs" not in body
    csv = client.get(reverse("report-export", args=["occupancy", "csv"]), PERIOD)
    df = pd.read_csv(io.BytesIO(csv.content), sep=";", decimal=",")  # German Excel form
    assert set(df.iloc[:, 2]) == {"P1 Integrationskurs"}
    # a teacher cannot download the monthly workbook, nor see the staff dashboard
    assert client.get(reverse("report-monthly"), {"month": "2026-01"}).status_code == 403
    assert client.get(reverse("staff-dashboard")).status_code == 403
    # and a teacher of a cannot look at b's provider
    assert (
        client.get(
            reverse("report-detail", args=["attendance"]), {"provider": rw.b.provider.pk}
        ).status_code
        == 404
    )


def test_location_filter_rejects_foreign_location(rw, client):
    login(client, rw.a.staff)
    url = reverse("report-export", args=["occupancy", "csv"])
    r = client.get(url, {**PERIOD, "location": rw.b.location.pk})
    assert r.status_code == 400


# --- exports: same numbers as the page ---------------------------------------------------


def test_exports_open_with_pandas_and_match_the_page(rw, client):
    login(client, rw.a.staff)
    for slug in REPORTS:
        _export_matches_page(rw, client, slug)


def _export_matches_page(rw, client, slug):
    query = {**PERIOD, **({"group_by": "language"} if slug == "attendance" else {})}
    page = client.get(reverse("report-detail", args=[slug]), query).content.decode()
    csv = pd.read_csv(
        io.BytesIO(client.get(reverse("report-export", args=[slug, "csv"]), query).content),
        sep=";",
        decimal=",",
    )
    xlsx = pd.read_excel(
        io.BytesIO(client.get(reverse("report-export", args=[slug, "xlsx"]), query).content)
    )
    with translation.override("de"):
        scope = report_scope(user=rw.a.staff)
        filters = Filters(D(2026, 1, 1), D(2026, 2, 28), group_by=query.get("group_by", "course"))
        expected = labelled(REPORTS[slug], REPORTS[slug].build(scope, filters).df)
    assert list(csv.columns) == list(expected.columns) == list(xlsx.columns)
    assert len(csv) == len(xlsx) == len(expected) > 0
    for frame in (csv, xlsx):
        for column in expected.columns:
            if pd.api.types.is_numeric_dtype(expected[column]):
                assert frame[column].fillna(-1).tolist() == pytest.approx(
                    expected[column].fillna(-1).tolist()
                )
            else:
                assert frame[column].astype(str).tolist() == expected[column].astype(str).tolist()
    # the page shows the same numbers (German formatting: decimal comma)
    for value in expected.select_dtypes("number").to_numpy().ravel():
        if pd.isna(value):
            continue
        text = f"{value:g}".replace(".", ",") if float(value) != int(value) else str(int(value))
        assert f">{text}<" in page or f">{text},0<" in page, (column, value)


def test_attendance_export_holds_hand_counted_rate(rw, client):
    login(client, rw.a.staff)
    r = client.get(
        reverse("report-export", args=["attendance", "xlsx"]),
        {"date_from": "2026-01-05", "date_to": "2026-01-09"},
    )
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    df = pd.read_excel(io.BytesIO(r.content))
    row = df[df.iloc[:, 0] == "P1 Integrationskurs"].iloc[0]
    assert list(row.iloc[1:5]) == [3, 65, 50, 76.9]


def test_monthly_workbook_has_one_sheet_per_report(rw, client):
    login(client, rw.a.staff)
    r = client.get(reverse("report-monthly"), {"provider": rw.a.provider.pk, "month": "2026-01"})
    assert r.status_code == 200
    sheets = pd.read_excel(io.BytesIO(r.content), sheet_name=None)
    assert len(sheets) == 1 + len(REPORTS)
    with translation.override("de"):
        titles = [str(rep.title) for rep in REPORTS.values()]
    assert all(t[:31] in sheets for t in titles)
    attendance_sheet = sheets[titles[1]]
    p1 = attendance_sheet[attendance_sheet.iloc[:, 0] == "P1 Integrationskurs"].iloc[0]
    # January: L1..L3 as in week 1 plus later days without entries, so only check attended UE.
    assert p1.iloc[3] == 50
    dropouts = sheets[titles[2]]
    assert dropouts.iloc[:, 1].sum() == 1  # L5 left in January; b's withdrawal is not a's
    assert client.get(reverse("report-monthly"), {"month": "2026-13"}).status_code == 400


# --- dashboard --------------------------------------------------------------------------------


def grow(rw, n: int) -> None:
    """n more of everything each dashboard panel lists, at provider a."""
    a = rw.a
    today = timezone.localdate()
    rule = AlertRule.objects.get_or_create(
        provider=a.provider, name="3 Tage", kind="consecutive_unexcused", consecutive_days=3
    )[0]
    employer = EmployerFactory(provider=a.provider, name=f"Firma {n}")
    for i in range(n):
        loc = LocationFactory(organisation=a.provider, name=f"Ort {n}-{i}")
        soon = make_course(
            provider=a.provider,
            location=loc,
            type_code="job_bsk",
            start=today + dt.timedelta(days=3 + i),
        )
        waiting = LearnerFactory(
            provider=a.provider, registered_on=today - dt.timedelta(days=80 + i)
        )
        EnrolmentFactory(course=soon, learner=waiting, status="waitlisted")
        running = make_course(
            provider=a.provider,
            location=loc,
            type_code="job_bsk",
            start=today - dt.timedelta(days=9),
            status=Course.Status.RUNNING,
            slots=[
                {"weekday": d, "start_time": dt.time(9), "end_time": dt.time(12), "ue": 4}
                for d in range(5)
            ],
        )
        seated = LearnerFactory(provider=a.provider, registered_on=today - dt.timedelta(days=20))
        e = EnrolmentFactory(
            course=running, learner=seated, start_date=today - dt.timedelta(days=9)
        )
        Alert.objects.create(rule=rule, enrolment=e, incident_key=f"k{i}")
        InternshipFactory(
            learner=seated,
            employer=employer,
            start_date=today - dt.timedelta(days=2),
            end_date=today + dt.timedelta(days=20),
        )


def dashboard_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries), r


def test_dashboard_panels_show_the_data(rw, client):
    grow(rw, 2)
    login(client, rw.a.staff)
    body = client.get(reverse("staff-dashboard")).content.decode()
    for needle in ("Ort 2-0", "Ort 2-1", "3 Tage", "Firma 2"):
        assert needle in body


def test_dashboard_alerts_one_line_per_learner_and_incident(rw, client):
    """Overlapping rules (per programme, per authority) raise the same incident several times:
    the tile shows it once, naming the rules (issue 14)."""
    grow(rw, 1)
    alert = Alert.objects.get(rule__provider=rw.a.provider)
    for i in range(4):
        rule = AlertRule.objects.create(
            provider=rw.a.provider,
            name=f"Regel {i}",
            kind="consecutive_unexcused",
            consecutive_days=3,
        )
        Alert.objects.create(rule=rule, enrolment=alert.enrolment, incident_key=alert.incident_key)
    login(client, rw.a.staff)
    r = client.get(reverse("staff-dashboard"))
    panel = r.context["panels"]["alerts"]
    assert panel["count"] == 1 and len(panel["rows"]) == 1
    assert (
        "3 Tage" in panel["rows"][0]["rule__name"] and "Regel 3" in panel["rows"][0]["rule__name"]
    )
    body = r.content.decode().split('id="alerts"')[1].split("</section>")[0]
    assert body.count(str(alert.enrolment.learner.last_name)) == 1


def test_dashboard_query_count_is_constant(rw, client, django_assert_num_queries):
    login(client, rw.a.staff)
    grow(rw, 1)
    client.get(reverse("staff-dashboard"))  # the first request renews the work session (a save)
    small, _ = dashboard_queries(client, reverse("staff-dashboard"))
    # session, user, memberships, providers, 2 starting, 1 seats, 3 waiting, 5 start watch,
    # 2 alerts, 2 unsigned, 2 internships, 4 tiles other apps register (volunteers), 1 for
    # referrals received (new and stalled), 1 for scheduled jobs not run for a day (core); seats
    # are one grouped query over the seat counts
    assert small == 27
    grow(rw, 6)
    with django_assert_num_queries(small):
        client.get(reverse("staff-dashboard"))


def test_network_view_query_count_is_constant(rw, client, django_assert_num_queries):
    login(client, rw.viewer)
    grow(rw, 1)
    client.get(reverse("network-dashboard"))  # the first request renews the work session
    small, _ = dashboard_queries(client, reverse("network-dashboard"))
    assert small == 20  # network scope lookup, but no personal lists (alerts, internships)
    grow(rw, 6)
    with django_assert_num_queries(small):
        client.get(reverse("network-dashboard"))


def test_network_view_has_no_personal_data(rw, client):
    from people.models import Learner

    grow(rw, 2)
    # Names no page text contains by chance (random short names such as "Jo" do: "Jobcenter").
    for learner in Learner.objects.all():
        learner.first_name, learner.last_name = f"Vorname{learner.pk}q", f"Nachname{learner.pk}q"
        learner.save(update_fields=["first_name", "last_name"])
    login(client, rw.viewer)
    r = client.get(reverse("staff-dashboard"))
    assert r.status_code == 302 and r["Location"] == reverse("network-dashboard")
    body = client.get(reverse("network-dashboard")).content.decode()
    assert "Diakonie" in body and "Caritas" in body
    assert Learner.objects.exists()
    for learner in Learner.objects.all():
        assert learner.last_name not in body
        assert learner.first_name not in body
    # reports for the viewer: aggregate figures over the whole network
    page = client.get(reverse("report-detail", args=["attendance"]), PERIOD).content.decode()
    assert "P1 Integrationskurs" in page and "Q1 fremd" in page
    assert client.get(reverse("report-monthly"), {"month": "2026-01"}).status_code == 403


def test_staff_dashboard_outsiders(rw, client):
    assert client.get(reverse("staff-dashboard")).status_code == 302
    login(client, rw.a.teacher)
    assert client.get(reverse("staff-dashboard")).status_code == 403
    assert client.get(reverse("network-dashboard")).status_code == 403
    login(client, rw.b.staff)
    assert client.get(reverse("staff-dashboard"), {"provider": rw.a.provider.pk}).status_code == 404


def test_provider_switcher_for_staff_of_two_providers(rw, client):
    from people.models import Membership

    Membership.objects.create(user=rw.a.staff, organisation=rw.b.provider, role=Role.STAFF)
    login(client, rw.a.staff)
    body = client.get(reverse("staff-dashboard"), {"provider": rw.b.provider.pk}).content.decode()
    assert 'name="provider"' in body and "Caritas" in body
    page = client.get(
        reverse("report-detail", args=["occupancy"]), {**PERIOD, "provider": rw.b.provider.pk}
    ).content.decode()
    assert "Q1 fremd" in page and "P1 Integrationskurs" not in page


def test_unsigned_days_and_signing(rw, client):
    """A past day with enrolled learners counts until a teacher signs it."""
    today = timezone.localdate()
    course = make_course(
        provider=rw.a.provider,
        location=rw.a.location,
        start=today - dt.timedelta(days=14),
        status=Course.Status.RUNNING,
        title="Unsigniert",
    )
    EnrolmentFactory(course=course, learner=LearnerFactory(provider=rw.a.provider))
    login(client, rw.a.staff)
    body = client.get(reverse("staff-dashboard")).content.decode()
    assert "Unsigniert" in body
    for session in course.sessions.filter(date__lt=today):
        SessionSignOffFactory(session=session, signed_by=rw.a.teacher)
    assert "Unsigniert" not in client.get(reverse("staff-dashboard")).content.decode()
    assert AttendanceRecord.objects.exists()


def test_dashboard_figures_by_hand(rw):
    """Free seats count enrolled learners and open offers; waits and late starts per provider."""
    from reports.access import staff_scope
    from reports.selectors import dashboard

    EnrolmentFactory(
        course=rw.a.course, learner=LearnerFactory(provider=rw.a.provider), status="offered"
    )
    waiting = LearnerFactory(provider=rw.a.provider, registered_on=timezone.localdate())
    EnrolmentFactory(course=rw.a.course, learner=waiting, status="waitlisted")
    panels = dashboard(scope=staff_scope(user=rw.a.staff))
    seats = {row["location__name"]: row for row in panels["seats"]["rows"]}
    # Diakonie Haus: a.course (25, one offer) + P1 (25, L1–L3 enrolled) → 50 − 4
    assert (seats["Diakonie Haus"]["capacity"], seats["Diakonie Haus"]["held"]) == (50, 4)
    assert seats["Diakonie Haus"]["free"] == 46
    assert seats["Nebenstelle"]["free"] == 20  # P2's only learner withdrew
    starting = {row["label"]: row for row in panels["starting"]["rows"]}
    assert starting[str(rw.a.course)]["free"] == 24
    assert panels["waiting"]["count"] == 1 and panels["waiting"]["rows"][0]["name"] == str(waiting)
    # start limit: L1–L3 started in January, the new waiting learner registered today
    late_names = {row["name"] for row in panels["late"]["rows"]}
    assert str(rw.learners.l1) not in late_names and str(waiting) not in late_names
    assert panels["internships"]["count"] == 0  # both placements ended in February
