from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from courses import models

        auditlog.register(models.Course)
        auditlog.register(models.Session)
