from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class JobcenterConfig(AppConfig):
    name = "jobcenter"
    verbose_name = _("Jobcenter")

    def ready(self) -> None:

        from core import schedule
        from jobcenter.tasks import webhooks_retry_due

        schedule.register("jobcenter.webhooks_retry", webhooks_retry_due, schedule.Every(minutes=5))
        from core.navigation import NavItem, register
        from people.models import Role

        register(
            NavItem(
                _("Client lookup"),
                "jobcenter-portal",
                90,
                lambda user, roles: Role.CASEWORKER in roles,
            )
        )
        from jobcenter.tasks import on_learner_event_saved

        post_save.connect(
            on_learner_event_saved,
            sender="people.LearnerEvent",
            dispatch_uid="jobcenter.webhooks.learner_event",
        )
