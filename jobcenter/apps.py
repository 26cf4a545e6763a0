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
        from people.pickers import register_label_part

        register_label_part("jobcenter.customer_number", _customer_numbers)
        from jobcenter.tasks import on_feed_notice_saved, on_learner_event_saved

        post_save.connect(
            on_learner_event_saved,
            sender="people.LearnerEvent",
            dispatch_uid="jobcenter.webhooks.learner_event",
        )
        post_save.connect(
            on_feed_notice_saved,
            sender="jobcenter.FeedNotice",
            dispatch_uid="jobcenter.webhooks.feed_notice",
        )


def _customer_numbers(learner_ids: list[int]) -> dict[int, str]:
    """The Jobcenter customer numbers of learners, for learner pickers (open links only)."""
    from jobcenter.models import JobcenterLink

    numbers: dict[int, list[str]] = {}
    rows = JobcenterLink.objects.filter(learner_id__in=learner_ids, ended_at__isnull=True)
    for learner_id, number in rows.order_by("pk").values_list("learner_id", "customer_number"):
        if number not in numbers.setdefault(learner_id, []):
            numbers[learner_id].append(number)
    label = str(_("Customer no."))
    return {pk: f"{label} {', '.join(nums)}" for pk, nums in numbers.items()}
