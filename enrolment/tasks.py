"""Background work of the enrolment app (Django tasks; the immediate backend runs them in tests)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

MAIL_KINDS = ("offered", "enrolled", "withdrawn")


@task
def send_enrolment_mail(*, enrolment_id: int, kind: str) -> bool:
    """Tell the learner about an offer, an enrolment or a withdrawal, in their language."""
    from enrolment.models import Enrolment

    enrolment = (
        Enrolment.objects.select_related("learner", "course__location", "course__course_type")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or kind not in MAIL_KINDS or not enrolment.learner.email:
        return False
    with translation.override(enrolment.learner.preferred_language):
        context = {"enrolment": enrolment, "learner": enrolment.learner, "course": enrolment.course}
        subject = render_to_string(f"enrolment/mail/{kind}_subject.txt", context).strip()
        body = render_to_string(f"enrolment/mail/{kind}.txt", context)
    send_mail(subject, body, None, [enrolment.learner.email])
    return True


@task
def expire_offers() -> int:
    """Pass expired offers on to the next learner (run every few minutes)."""
    from enrolment.services import offers_expire

    return offers_expire()


@task
def record_course_starts() -> int:
    """Record the ``course_started`` event for enrolments whose entry date has come (daily)."""
    from enrolment.services import course_started_record

    return course_started_record()
