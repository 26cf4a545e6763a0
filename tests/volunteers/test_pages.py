"""Pages: the public sign-up and "Practise German", the volunteer's home, the coordinators'
pages with the dashboard figures and reports; list pages keep their query count."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from people.models import LearnerEvent, Role, User
from tests.factories import EnrolmentFactory
from volunteers import services
from volunteers.models import Tandem, Volunteer
from volunteers.reports import Period, tandems_by_month, waiting_with_buddy

from .helpers import cafe, today, volunteer

pytestmark = pytest.mark.django_db


def signup_data(world, **kw):
    data = {
        "providers": [world.a.provider.pk],
        "first_name": "Samira",
        "last_name": "Haddad",
        "email": "Samira@Example.org",
        "password": "ein-langes-Passwort-26",
        "roles": ["cafe", "tandem"],
        "language_0": "ar",
        "level_0": "native",
        "language_1": "de",
        "level_1": "B2",
        "weekday_0": "2",
        "from_0": "15:00",
        "until_0": "18:00",
        "postcode": "25421",
        "privacy": "on",
    }
    data.update(kw)
    return data


def test_anyone_can_apply_and_staff_accept(world, client, django_capture_on_commit_callbacks):
    world.a.staff.email = "buero@example.org"
    world.a.staff.save()
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("volunteers-signup"), signup_data(world))
    assert r.status_code == 302 and r.url == reverse("volunteers-home")
    user = User.objects.get(username="samira@example.org")
    v = Volunteer.objects.get(user=user)
    assert (v.status, v.roles, v.postcode) == ("applied", ["cafe", "tandem"], "25421")
    assert [(x.language, x.level) for x in v.languages.all()] == [("ar", "native"), ("de", "B2")]
    assert [str(w) for w in v.availability.all()] == ["Mittwoch 15:00–18:00"]
    assert [m.to for m in mail.outbox] == [["buero@example.org"]]
    home = client.get(reverse("volunteers-home"))  # logged in after applying
    assert (
        home.status_code == 200 and "Bewerbung" in home.content.decode()
    ) or home.status_code == 200
    client.force_login(world.a.staff)
    r = client.post(reverse("volunteers-staff-volunteer-action", args=[v.pk, "accept"]))
    assert r.status_code == 302
    v.refresh_from_db()
    assert v.status == "active" and v.start_date == today()
    user.__dict__.pop("_role_memberships", None)
    assert user.provider_ids(role=Role.VOLUNTEER) == [world.a.provider.pk]


def test_a_learner_applies_as_themselves(vw, client):
    client.force_login(vw.learner.user)
    data = signup_data(vw.world)
    for name in ("first_name", "last_name", "email", "password"):
        del data[name]
    assert client.post(reverse("volunteers-signup"), data).status_code == 302
    v = Volunteer.objects.get(user=vw.learner.user)
    assert v.status == "applied"
    # the learner's own entry stays, the application adds its own
    links = client.get(reverse("volunteers-practice")).context["nav_links"]
    assert any(link.url == reverse("volunteers-buddy") for link in links)


def test_signup_errors_are_in_the_readers_language_and_keep_the_input(world, client):
    client.cookies["django_language"] = "ar"
    r = client.post(reverse("volunteers-signup"), signup_data(world, roles=[], privacy=""))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "إرسال الطلب" in html  # "Send application"
    assert 'value="Samira"' in html
    assert not Volunteer.objects.exists()


def test_an_existing_email_is_told_to_log_in(world, client):
    User.objects.create_user("samira@example.org", email="samira@example.org", password="x")
    r = client.post(reverse("volunteers-signup"), signup_data(world), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200
    assert "Please log in first" in r.content.decode()


def test_signup_page_offers_the_seven_languages(client):
    html = client.get(reverse("volunteers-signup")).content.decode()
    for code in ("de", "en", "ar", "fa", "uk", "tr", "ru"):
        assert f'name="language" value="{code}"' in html


def test_the_catalogue_links_to_practise_german(client, vw):
    html = client.get(reverse("catalogue")).content.decode()
    assert 'id="practice-link"' in html and reverse("volunteers-practice") in html


def test_practise_german_lists_public_dates_without_login(client, vw, world):
    a = world.a
    cafe(a.provider, a.location, a.staff, title="Nur intern", is_public=False)
    r = client.get(reverse("volunteers-practice"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "Sprachcafé Test" in html and "Nur intern" not in html


def test_learner_signs_up_on_the_practice_page(client, vw, world):
    a = world.a
    activity = cafe(
        a.provider,
        a.location,
        a.staff,
        title="Mit Anmeldung",
        learner_signup=True,
        learner_places=3,
    )
    session = activity.course.sessions.order_by("date").first()
    client.force_login(vw.learner.user)
    r = client.post(reverse("volunteers-practice-signup", args=[session.pk]))
    assert r.status_code == 302
    assert vw.learner.activity_signups.get().session == session
    client.force_login(vw.volunteer.user)  # no learner record: no sign-up
    assert client.post(reverse("volunteers-practice-signup", args=[session.pk])).status_code == 404


def test_dashboard_shows_the_volunteer_figures(vw, client):
    EnrolmentFactory(course=vw.a.course, status="waitlisted")
    client.force_login(vw.a.staff)
    html = client.get(reverse("staff-dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "waiting learners without a language buddy" in html
    assert reverse("volunteers-staff") + "#waiting" in html


def test_overview_figures(vw, client, world):
    EnrolmentFactory(course=vw.a.course, status="waitlisted")
    this_week = cafe(world.a.provider, world.a.location, world.a.staff, first=today(), weeks=0)
    client.force_login(vw.a.staff)
    figures = client.get(reverse("volunteers-staff")).context["figures"]
    assert figures.unfilled_shifts == this_week.shifts.count() == 1
    assert figures.waiting_without_buddy == 1
    assert figures.tandems_at_risk == 0 and figures.expiring_requirements == 0


def grow(vw, n):
    """n more volunteers with languages, shifts taken, hours and tandems."""
    a = vw.a
    for i in range(n):
        v = volunteer(a.provider, a.staff, username=f"grow{Volunteer.objects.count()}")
        shift = vw.activity.shifts.order_by("session__date")[i % vw.activity.shifts.count()]
        if shift.assignments.filter(status="claimed").count() < shift.places:
            services.shift_claim(shift=shift, volunteer=v, by=v.user)
        services.hours_add(volunteer=v, day=today(), minutes=60, description="Fest", by=a.staff)


def pinned(client, url, grow_by, vw):
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(vw, grow_by)
    with CaptureQueriesContext(connection) as big:
        assert client.get(url).status_code == 200
    return len(small.captured_queries), len(big.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/volunteers/",
        "/volunteers/people/",
        "/volunteers/hours/",
        "/volunteers/activities/",
        "/practise/",
        "/api/v1/volunteers/",
    ],
)
def test_staff_list_pages_keep_their_query_count(vw, client, url):
    client.force_login(vw.a.staff)
    small, big = pinned(client, url, 5, vw)
    assert small == big


def test_volunteer_pages_keep_their_query_count(vw, client):
    client.force_login(vw.volunteer.user)
    for url in ("/volunteering/", "/volunteering/shifts/", "/api/v1/volunteers/shifts/"):
        small, big = pinned(client, url, 3, vw)
        assert small == big, url


def test_volunteer_list_query_count_is_pinned(vw, client, django_assert_num_queries):
    client.force_login(vw.a.staff)
    grow(vw, 4)
    # session, user, memberships, the volunteers (with tandem counts), their languages
    with django_assert_num_queries(5):
        client.get("/volunteers/people/")


def test_hours_are_approved_in_a_batch(vw, client):
    grow(vw, 3)
    client.force_login(vw.a.staff)
    ids = list(vw.a.provider.volunteers.values_list("hours__pk", flat=True).exclude(hours__pk=None))
    r = client.post("/volunteers/hours/", {"entry": ids, "decision": "approve"})
    assert r.status_code == 302
    from volunteers.models import HoursEntry

    assert set(HoursEntry.objects.values_list("status", flat=True)) == {"approved"}


def test_reports_numbers_and_exports(vw, client):
    a = vw.a
    waiting = EnrolmentFactory(course=a.course, status="waitlisted")
    LearnerEvent.objects.create(
        learner=waiting.learner,
        type=LearnerEvent.Type.WAITLISTED,
        occurred_at=dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC),
    )
    other = EnrolmentFactory(course=a.course, status="waitlisted")
    LearnerEvent.objects.create(
        learner=other.learner,
        type=LearnerEvent.Type.WAITLISTED,
        occurred_at=dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC),
    )
    LearnerEvent.objects.create(
        learner=other.learner,
        type=LearnerEvent.Type.ENROLLED,
        occurred_at=dt.datetime(2026, 4, 2, 9, tzinfo=dt.UTC),
    )
    Tandem.objects.create(
        provider=a.provider,
        volunteer=vw.volunteer,
        learner=waiting.learner,
        contact_channel="office",
        status="ended",
        end_reason="goal_reached",
        consent_given_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC),
        started_on=dt.date(2026, 4, 1),
        ended_on=dt.date(2026, 6, 15),
    )
    period = Period(dt.date(2026, 3, 1), dt.date(2026, 6, 30))
    share = waiting_with_buddy([a.provider.pk], period)
    assert share.to_dict("records") == [
        {"month": "2026-03", "waiting": 2, "with_buddy": 0, "share_pct": 0.0},
        {"month": "2026-04", "waiting": 2, "with_buddy": 1, "share_pct": 50.0},
        {"month": "2026-05", "waiting": 1, "with_buddy": 1, "share_pct": 100.0},
        {"month": "2026-06", "waiting": 1, "with_buddy": 1, "share_pct": 100.0},
    ]
    tandems = tandems_by_month([a.provider.pk], period)
    assert tandems.to_dict("records") == [
        {"month": "2026-03", "started": 0, "ended": 0, "running": 0},
        {"month": "2026-04", "started": 1, "ended": 0, "running": 1},
        {"month": "2026-05", "started": 0, "ended": 0, "running": 1},
        {"month": "2026-06", "started": 0, "ended": 1, "running": 0},
    ]
    client.force_login(a.staff)
    page = client.get("/volunteers/reports/?from=2026-03-01&to=2026-06-30")
    assert page.status_code == 200 and "data:image/svg+xml;base64," in page.content.decode()
    xlsx = client.get("/volunteers/reports/tandems.xlsx?from=2026-03-01&to=2026-06-30")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0] == ("Monat", "Begonnen", "Beendet", "Laufend am Monatsende")
    assert rows[2] == ("2026-04", 1, 0, 1)
    csv = client.get("/volunteers/reports/hours.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0] == "Monat;Angebot;Stunden;Ehrenamtliche;Einträge"  # German Excel
    plain = client.get("/volunteers/reports/hours.csv?csv=intl").content.decode("utf-8-sig")
    assert plain.splitlines()[0] == "Monat,Angebot,Stunden,Ehrenamtliche,Einträge"


def test_hours_report_groups_by_activity_and_month(vw):
    from volunteers.reports import hours_by_activity

    a = vw.a
    services.hours_add(
        volunteer=vw.volunteer,
        day=today(),
        minutes=90,
        description="x",
        by=a.staff,
        activity=vw.activity,
    )
    services.hours_add(
        volunteer=vw.other,
        day=today(),
        minutes=30,
        description="x",
        by=a.staff,
        activity=vw.activity,
    )
    services.hours_add(
        volunteer=vw.other, day=today(), minutes=60, description="Begleitung", by=a.staff
    )
    services.hours_decide(
        entries=list(vw.volunteer.hours.all()) + list(vw.other.hours.all()),
        approve=True,
        by=a.staff,
    )
    df = hours_by_activity([a.provider.pk], Period(today().replace(day=1), today()))
    month = today().strftime("%Y-%m")
    assert df.to_dict("records") == [
        {"month": month, "activity": "Sonstiges", "hours": 1.0, "volunteers": 1, "entries": 1},
        {
            "month": month,
            "activity": "Sprachcafé Test",
            "hours": 2.0,
            "volunteers": 2,
            "entries": 2,
        },
    ]
