from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    name = "internships"
    verbose_name = _("Internships")

    def ready(self) -> None:
        from datetime import time

        from core import schedule
        from internships.tasks import placements_advance_task

        schedule.register(
            "internships.placements_advance", placements_advance_task, schedule.Daily(time(5, 15))
        )
        from core.navigation import NavItem, register
        from people.models import Role

        register(
            NavItem(
                _("Internships"), "internships-home", 50, lambda user, roles: Role.STAFF in roles
            )
        )
        from auditlog.registry import auditlog

        from internships.models import Placement

        auditlog.register(Placement)
