from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self) -> None:
        from datetime import time

        from core import schedule
        from enrolment.tasks import expire_offers, record_course_starts

        schedule.register("enrolment.expire_offers", expire_offers, schedule.Every(minutes=5))
        schedule.register(
            "enrolment.record_course_starts", record_course_starts, schedule.Daily(time(5, 0))
        )
        from courses.signals import seats_may_have_freed

        seats_may_have_freed.connect(
            _offer_freed_seats, dispatch_uid="enrolment.offer_freed_seats", weak=False
        )

        from core.navigation import NavItem, register
        from people.models import Role

        def staff(user, roles):
            return Role.STAFF in roles

        register(
            NavItem(_("Placement tests"), "enrolment-slots", 20, staff),
            NavItem(_("Start watch"), "enrolment-start-watch", 30, staff),
            NavItem(_("Import learners"), "enrolment-import", 35, staff),
        )
        from auditlog.registry import auditlog

        from enrolment import models

        auditlog.register(models.Enrolment)
        auditlog.register(models.WaitlistWish)
        auditlog.register(models.PlacementResult)
        auditlog.register(models.EnrolmentPolicy)


def _offer_freed_seats(sender, *, course, by=None, **kwargs) -> None:
    from enrolment.services import waitlist_on_seats_changed

    waitlist_on_seats_changed(course=course, by=by)
