from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People and organisations")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from people import models

        auditlog.register(models.Learner)
        auditlog.register(models.Entitlement)
        auditlog.register(models.Membership)
