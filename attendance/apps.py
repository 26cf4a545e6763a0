from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "attendance"
    verbose_name = _("Attendance")

    def ready(self) -> None:
        from datetime import time

        from attendance.tasks import evaluate_alerts_nightly
        from core import schedule

        schedule.register(
            "attendance.evaluate_alerts", evaluate_alerts_nightly, schedule.Daily(time(2, 0))
        )
        from core.navigation import NavItem, register
        from people.models import Role

        register(
            NavItem(
                _("Attendance alerts"),
                "attendance-alerts",
                40,
                lambda user, roles: Role.STAFF in roles,
            ),
            NavItem(
                _("My teaching"), "teacher-home", 80, lambda user, roles: Role.TEACHER in roles
            ),
        )
