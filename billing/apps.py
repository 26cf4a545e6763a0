from datetime import time

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("BAMF billing")

    def ready(self) -> None:
        from billing import signals  # noqa: F401  (corrections to the register → correction notes)
        from billing.inge import receivers
        from billing.inge.tasks import inge_sweep
        from billing.tasks import contributions_daily, revenue_figures_daily
        from core import schedule
        from core.navigation import NavItem, register
        from people.models import Role

        def staff(user, roles):
            return Role.STAFF in roles

        register(
            NavItem(_("Billing"), "billing-home", 65, staff),
            NavItem(_("InGe reports"), "billing-inge-list", 66, staff),
        )
        # Learner events and DTZ/LiD results → the course's InGe reports; a daily sweep for
        # what time alone brings.
        receivers.connect()
        schedule.register("billing.inge_sweep", inge_sweep, schedule.Daily(time(5, 30)))
        schedule.register(
            "billing.contribution_reminders", contributions_daily, schedule.Daily(time(7, 0))
        )
        schedule.register(
            "billing.revenue_figures", revenue_figures_daily, schedule.Daily(time(5, 0))
        )
