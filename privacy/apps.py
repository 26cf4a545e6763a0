from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from datetime import time

        from core import schedule
        from privacy.tasks import retention_daily

        schedule.register("privacy.retention", retention_daily, schedule.Daily(time(3, 0)))
        from auditlog.registry import auditlog

        from core.navigation import NavItem, register
        from people.models import Role
        from privacy import models

        register(
            NavItem(
                _("Data protection"),
                "privacy-staff",
                75,
                lambda user, roles: bool(roles & {Role.STAFF, Role.DATA_PROTECTION_OFFICER}),
            )
        )

        # Holds stop deletion: who set, changed or lifted one is part of the record.
        auditlog.register(models.LegalHold)
        auditlog.register(models.ProviderRetentionRule)
        auditlog.register(models.PrivacySettings)
