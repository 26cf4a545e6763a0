from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("BAMF billing")

    def ready(self) -> None:
        from datetime import time

        from billing.tasks import contributions_daily, revenue_figures_daily
        from core import schedule
        from core.navigation import NavItem, register

        schedule.register(
            "billing.contribution_reminders", contributions_daily, schedule.Daily(time(7, 0))
        )
        schedule.register(
            "billing.revenue_figures", revenue_figures_daily, schedule.Daily(time(5, 0))
        )
        from people.models import Role

        register(NavItem(_("Billing"), "billing-home", 65, lambda user, roles: Role.STAFF in roles))

        from billing import signals  # noqa: F401  (corrections to the register → correction notes)
