from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from people.models import Role

        def staff(user, roles):
            return Role.STAFF in roles

        def network_viewer(user, roles):
            return Role.NETWORK_VIEWER in roles and Role.STAFF not in roles

        register(
            NavItem(_("Overview"), "staff-dashboard", 10, staff),
            NavItem(_("Network overview"), "network-dashboard", 15, network_viewer),
            NavItem(
                _("Reports"),
                "reports",
                70,
                lambda user, roles: staff(user, roles) or network_viewer(user, roles),
            ),
        )
