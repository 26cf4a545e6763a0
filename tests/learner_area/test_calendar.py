"""The private calendar feed: a secret URL, no login, revocable, minimal content."""

from __future__ import annotations

from django.urls import reverse
from icalendar import Calendar

from courses.services import session_cancel
from learner_area.models import CalendarFeed


def feed_url(client, me) -> str:
    client.force_login(me.user)
    client.post(reverse("learner-calendar-reset"), {"action": "reset"})
    token = CalendarFeed.objects.get(learner=me.learner).token
    client.logout()
    return reverse("learner-calendar-feed", args=[token])


def test_feed_needs_no_login_and_holds_the_course_days_only(me, client):
    url = feed_url(client, me)
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(r.content)
    events = cal.walk("VEVENT")
    coming = me.course.sessions.filter(date__gte=me.today).count()
    assert len(events) >= coming
    body = r.content.decode()
    for private in (me.learner.first_name, me.learner.last_name, me.teacher.last_name):
        assert private not in body
    assert "2.14" in body and me.course.location.name in body


def test_cancelled_day_is_marked_in_the_feed_and_on_the_timetable(me, client):
    session = me.course.sessions.held().filter(date__gt=me.today).order_by("date").first()
    session_cancel(session=session, reason="Lehrkraft krank", by=me.staff)
    url = feed_url(client, me)
    cal = Calendar.from_ical(client.get(url).content)
    (event,) = [e for e in cal.walk("VEVENT") if str(e["uid"]).startswith(f"session-{session.pk}@")]
    assert str(event["status"]) == "CANCELLED"
    client.force_login(me.user)
    html = client.get(reverse("learner-timetable")).content.decode()
    assert "lb-day-cancelled" in html


def test_reset_makes_the_old_url_stop_and_stop_switches_it_off(me, client):
    old = feed_url(client, me)
    new = feed_url(client, me)
    assert old != new
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    client.force_login(me.user)
    client.post(reverse("learner-calendar-reset"), {"action": "stop"})
    client.logout()
    assert client.get(new).status_code == 404
    assert client.get(reverse("learner-calendar-feed", args=["guess"])).status_code == 404


def test_only_the_learner_resets_their_feed(me, client):
    feed_url(client, me)
    client.force_login(me.other_staff)
    assert client.post(reverse("learner-calendar-reset"), {"action": "stop"}).status_code == 404
    assert CalendarFeed.objects.filter(learner=me.learner).exists()
