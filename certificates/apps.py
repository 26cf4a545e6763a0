from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from people.models import Role

        register(
            NavItem(
                _("Certificates"), "certificates-home", 60, lambda user, roles: Role.STAFF in roles
            )
        )
        from auditlog.registry import auditlog

        from certificates.models import Document, TestResult

        auditlog.register(Document, exclude_fields=["pdf"])
        auditlog.register(TestResult)
