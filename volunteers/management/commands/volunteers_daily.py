import datetime as dt

from django.core.management.base import BaseCommand

from volunteers.services import volunteers_daily


class Command(BaseCommand):
    help = (
        "The daily round of volunteer work: requirement expiry reminders, 'still meeting?' "
        "questions to tandems and flags for tandems that went quiet (run once a day)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Run as if today were this day (YYYY-MM-DD).")

    def handle(self, *args, date=None, **options):
        on = dt.date.fromisoformat(date) if date else None
        result = volunteers_daily(on=on)
        self.stdout.write(
            f"reminders: {result.reminders}; check-ins asked: {result.checkins_asked}; "
            f"tandems flagged: {result.tandems_flagged}"
        )
