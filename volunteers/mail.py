"""The mails of volunteer work, each in the reader's own language. Volunteers' and learners'
mails say only what the reader may know; a learner's name never goes to a volunteer by mail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from people.models import User


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str


def _link(name: str, *args) -> str:
    from core.links import absolute

    return absolute(reverse(name, args=args))


def _greeting(user: User) -> str:
    return _("Hello %(name)s,") % {"name": user.first_name or user.get_username()}


def _staff_new_application(user: User, ctx: dict) -> Mail | None:
    from volunteers.models import Volunteer

    volunteer = Volunteer.objects.select_related("user").filter(pk=ctx["volunteer_id"]).first()
    if volunteer is None:
        return None
    return Mail(
        _("New volunteer application: %(name)s") % {"name": volunteer},
        _("%(name)s would like to volunteer. Please review the application:") % {"name": volunteer}
        + "\n"
        + _link("volunteers-staff-volunteer", volunteer.pk),
    )


def _accepted(user: User, ctx: dict) -> Mail | None:
    return Mail(
        _("Welcome as a volunteer"),
        _greeting(user)
        + "\n\n"
        + _(
            "Thank you: your application was accepted. On your page you see free shifts, your "
            "language buddies and your hours:"
        )
        + "\n"
        + _link("volunteers-home"),
    )


def _shift_cancelled(user: User, ctx: dict) -> Mail | None:
    from courses.models import Session

    session = Session.objects.select_related("course").filter(pk=ctx["session_id"]).first()
    if session is None:
        return None
    return Mail(
        _("A shift was cancelled"),
        _greeting(user)
        + "\n\n"
        + _("%(activity)s on %(date)s does not take place: %(reason)s")
        % {
            "activity": session.course.title,
            "date": date_format(session.date, "SHORT_DATE_FORMAT"),
            "reason": ctx.get("reason", ""),
        },
    )


def _learner_consent_asked(user: User, ctx: dict) -> Mail | None:
    return Mail(
        _("A language buddy for you"),
        _greeting(user)
        + "\n\n"
        + _(
            "We have found a volunteer who would like to practise German with you. Before "
            "we tell them anything about you, we need your consent. Please look here:"
        )
        + "\n"
        + _link("volunteers-buddy"),
    )


def _tandem_started(user: User, ctx: dict) -> Mail | None:
    return Mail(
        _("Your language buddy"),
        _greeting(user)
        + "\n\n"
        + _("Your language buddy has agreed. You find the contact on your page:")
        + "\n"
        + _link("volunteers-tandem", ctx["tandem_id"]),
    )


def _tandem_checkin(user: User, ctx: dict) -> Mail | None:
    return Mail(
        _("Are you still meeting?"),
        _greeting(user)
        + "\n\n"
        + _("Are you still meeting your language buddy? Please answer with one tap:")
        + "\n"
        + _link("volunteers-tandem", ctx["tandem_id"]),
    )


def _requirement_expiring(user: User, ctx: dict) -> Mail | None:
    return Mail(
        _("Please renew a document"),
        _greeting(user)
        + "\n\n"
        + _(
            "A document you need for your volunteering expires soon or has expired. Please "
            "contact your coordinator. Details on your page:"
        )
        + "\n"
        + _link("volunteers-home"),
    )


def _staff_requirements_expiring(user: User, ctx: dict) -> Mail | None:
    return Mail(
        _("Volunteer requirements expiring"),
        _("%(n)s requirements of volunteers expire soon or have expired:")
        % {"n": len(ctx["record_ids"])}
        + "\n"
        + _link("volunteers-staff"),
    )


def _staff_tandem_at_risk(user: User, ctx: dict) -> Mail | None:
    return Mail(
        _("Tandems at risk"),
        _("%(n)s tandems have had no meeting or answer for a while, or want to stop:")
        % {"n": len(ctx["tandem_ids"])}
        + "\n"
        + _link("volunteers-staff"),
    )


def _staff_consent_withdrawn(user: User, ctx: dict) -> Mail | None:
    return Mail(
        _("A learner withdrew consent to a tandem"),
        _("The tandem has ended; the volunteer no longer sees the learner:")
        + "\n"
        + _link("volunteers-staff-tandem", ctx["tandem_id"]),
    )


MAILS: dict[str, Callable[[User, dict], Mail | None]] = {
    "staff_new_application": _staff_new_application,
    "accepted": _accepted,
    "shift_cancelled": _shift_cancelled,
    "learner_consent_asked": _learner_consent_asked,
    "tandem_started": _tandem_started,
    "tandem_checkin": _tandem_checkin,
    "requirement_expiring": _requirement_expiring,
    "staff_requirements_expiring": _staff_requirements_expiring,
    "staff_tandem_at_risk": _staff_tandem_at_risk,
    "staff_consent_withdrawn": _staff_consent_withdrawn,
}
