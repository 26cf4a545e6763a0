from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    name = "internships"
    verbose_name = _("Internships")

    def ready(self) -> None:
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
