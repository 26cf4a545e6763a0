"""The learner's course days as an iCalendar feed (RFC 5545, built with ``icalendar``).

The content is minimal: the course's name, time and place, and whether the day is cancelled. No
learner name, no teacher, no attendance: a calendar app may sync it to a cloud service.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import Session

BERLIN = ZoneInfo("Europe/Berlin")


def _place(session: Session) -> str:
    location = session.course.location
    parts = [location.name, location.street, f"{location.postcode} {location.town}".strip()]
    if session.course.room:
        parts.insert(1, _("Room %(room)s") % {"room": session.course.room})
    return ", ".join(p for p in parts if p)


def calendar_bytes(sessions: Iterable[Session], *, host: str) -> bytes:
    """The feed for these sessions (each with course, location and course type loaded)."""
    from icalendar import Calendar, Event  # imported with the first feed, not the URLs

    cal = Calendar()
    cal.add("prodid", "-//Lernbruecke//Course days//DE")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", str(settings.SITE_NAME))
    cal.add("x-wr-timezone", "Europe/Berlin")
    stamp = timezone.now()
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(session.date, session.start_time, tzinfo=BERLIN))
        event.add("dtend", datetime.combine(session.date, session.end_time, tzinfo=BERLIN))
        summary = str(session.course.course_type.name)
        if session.status == Session.Status.CANCELLED:
            summary = _("Cancelled: %(course)s") % {"course": summary}
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        event.add("summary", summary)
        event.add("location", _place(session))
        cal.add_component(event)
    return cal.to_ical()
