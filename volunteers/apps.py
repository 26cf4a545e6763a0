from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from datetime import time

        from core import schedule
        from volunteers.tasks import volunteers_daily

        schedule.register("volunteers.daily", volunteers_daily, schedule.Daily(time(6, 0)))
        from attendance.participants import register as register_participants
        from core.dashboard import register as register_tiles
        from core.navigation import NavItem
        from core.navigation import register as register_nav
        from people.models import Role
        from volunteers import models
        from volunteers.services import shift_checkin

        def staff(user, roles):
            return Role.STAFF in roles

        def volunteer(user, roles):
            if Role.VOLUNTEER in roles:
                return True
            # An applicant holds no role yet. Asked only of people without roles and without a
            # learner record (whose lookup the learner's entry has made already): no query on
            # the pages of staff, teachers and learners.
            return (
                not roles
                and not hasattr(user, "learner")
                and models.Volunteer.objects.filter(user_id=user.pk).exists()
            )

        def learner(user, roles):
            return not (roles - {Role.VOLUNTEER}) and hasattr(user, "learner")

        register_nav(
            NavItem(_("Volunteering"), "volunteers-home", 6, volunteer),
            NavItem(_("Language buddy"), "volunteers-buddy", 7, learner),
            NavItem(_("Volunteers"), "volunteers-staff", 55, staff),
        )
        # a volunteer on a shift checks in with the session QR of the activity's date
        register_participants("volunteers.shift", shift_checkin)
        register_tiles("volunteers", _dashboard_tiles)

        from auditlog.registry import auditlog

        for model in (
            models.Volunteer,
            models.ConductCheck,
            models.RequirementRecord,
            models.Tandem,
            models.HoursEntry,
            models.AllowancePayment,
            models.AllowanceDeclaration,
        ):
            auditlog.register(model)


def _dashboard_tiles(*, user, provider_ids, today):
    """The four volunteer figures on the staff dashboard (``core.dashboard``), four queries."""
    from django.urls import reverse

    from core.dashboard import Tile
    from volunteers.selectors import (
        coming_week,
        expiring_requirements,
        tandems_at_risk,
        unfilled_shifts,
        waiting_without_buddy,
    )

    url = reverse("volunteers-staff")
    start, end = coming_week(today)
    return [
        Tile(
            str(_("unfilled volunteer shifts in the next 7 days")),
            unfilled_shifts(provider_ids=provider_ids, start=start, end=end).count(),
            url + "#shifts",
            warn=True,
        ),
        Tile(
            str(_("volunteer requirements expiring")),
            expiring_requirements(provider_ids=provider_ids, on=today).count(),
            url + "#requirements",
            warn=True,
        ),
        Tile(
            str(_("tandems at risk")),
            tandems_at_risk(provider_ids=provider_ids).count(),
            url + "#tandems",
            warn=True,
        ),
        Tile(
            str(_("waiting learners without a language buddy")),
            waiting_without_buddy(provider_ids=provider_ids).count(),
            url + "#waiting",
        ),
    ]
