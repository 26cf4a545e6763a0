"""``manage.py placements_advance``: the daily run that starts and completes placements (cron)."""

from django.core.management.base import BaseCommand

from internships.services import placements_advance


class Command(BaseCommand):
    help = "Start agreed placements whose first day has come and complete finished ones."

    def handle(self, *args, **options):
        result = placements_advance()
        self.stdout.write(f"started {result['started']}, completed {result['completed']}")
