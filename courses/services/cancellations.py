"""Cancelling a course day: its UE move to the end of the course."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from courses.models import Session
from courses.services.base import CourseError
from courses.services.planning import course_plan_sessions
from people.models import User


@transaction.atomic
def session_cancel(*, session: Session, reason: str, by: User | None = None) -> Session:
    """Cancel a course day; the UE it would have taught move to the end, and so does the end date."""
    if not reason.strip():
        raise CourseError(
            _("Give a reason for the cancellation."), code="reason_required", field="reason"
        )
    session = Session.objects.select_for_update().select_related("course").get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        return session
    session.status = Session.Status.CANCELLED
    session.cancel_reason = reason
    session.save(update_fields=["status", "cancel_reason"])
    course_plan_sessions(course=session.course, after=session.date)
    session.refresh_from_db()
    return session
