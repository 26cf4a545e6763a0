"""Run the retention job: ``manage.py retention_run [--dry-run] [--date YYYY-MM-DD]``."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from privacy.services.retention import retention_run


class Command(BaseCommand):
    help = "Delete or anonymise what is due under the retention classes (daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be done; change nothing."
        )
        parser.add_argument("--date", help="The day to run for (YYYY-MM-DD); today when left out.")

    def handle(self, *args, dry_run: bool = False, date: str | None = None, **options):
        today = _parse(date) if date else timezone.localdate()
        report = retention_run(today=today, dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"Retention run for {today.isoformat()}{' (dry run)' if dry_run else ''}:"
        )
        if not report.lines:
            self.stdout.write("  nothing is due.")
        for line in report.lines:
            held = f"  ({line.held} kept by a legal hold)" if line.held else ""
            self.stdout.write(
                f"  {line.key:<22} {line.model:<30} {line.count:>7} {verb} {line.action}{held}"
            )
        self.stdout.write(self.style.SUCCESS(f"{report.total} rows {verb} deleted or anonymised."))


def _parse(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}.") from error
