from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People and organisations")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.contrib.auth.signals import user_logged_in

        from people import models
        from people.middleware import remember_account_kind, remember_language

        user_logged_in.connect(remember_account_kind, dispatch_uid="people.remember_account_kind")
        user_logged_in.connect(remember_language, dispatch_uid="people.remember_language")

        auditlog.register(models.Learner)
        auditlog.register(models.Entitlement)
        auditlog.register(models.Membership)
