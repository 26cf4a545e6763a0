from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from core.navigation import NavItem, register

        register(
            NavItem(_("Administration"), "admin:index", 100, lambda user, roles: user.is_staff)
        )
