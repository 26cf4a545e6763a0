"""Retry due webhook deliveries (run every minute where the task backend cannot defer)."""

from django.core.management.base import BaseCommand

from jobcenter.services import webhooks_retry_due


class Command(BaseCommand):
    help = "Attempt every pending webhook delivery whose next attempt is due."

    def handle(self, *args, **options):
        count = webhooks_retry_due()
        self.stdout.write(f"{count} delivery attempt(s).")
