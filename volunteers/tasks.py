"""Background work of the volunteers app (Django tasks; the immediate backend runs them in tests).

``volunteers_daily`` is the daily round (requirement reminders, tandem check-ins and stalls). Run
it once a day: from the scheduler, from cron with ``manage.py volunteers_daily``, or by enqueuing
this task.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task
from django.utils import translation


@task
def send_volunteer_mail(*, kind: str, user_ids: list[int], context: dict) -> int:
    """Send one kind of mail to each user (with an e-mail address) in their language."""
    from people.models import User
    from volunteers.mail import MAILS

    write = MAILS.get(kind)
    if write is None:
        return 0
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(email=""):
        with translation.override(user.preferred_language or "de"):
            mail = write(user, context)
        if mail is not None:
            send_mail(mail.subject, mail.body, None, [user.email])
            sent += 1
    return sent


@task
def volunteers_daily() -> dict:
    from volunteers.services import volunteers_daily as run

    result = run()
    return {
        "reminders": result.reminders,
        "checkins_asked": result.checkins_asked,
        "tandems_flagged": result.tandems_flagged,
    }
