from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from enrolment import models

        auditlog.register(models.Enrolment)
        auditlog.register(models.WaitlistWish)
        auditlog.register(models.PlacementResult)
        auditlog.register(models.EnrolmentPolicy)
