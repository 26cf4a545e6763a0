"""``manage.py run_worker``: the background worker — django-tasks-db's ``db_worker`` (same
options), after warming the PDF library up (``core.pdf.warm_up``), so the first certificate
batch or single certificate does not wait for WeasyPrint's start-up. ``--no-pdf-warmup`` (or
``PDF_WARMUP=0``) skips it."""

from __future__ import annotations

import logging
import os

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

logger = logging.getLogger("core.worker")


class Command(DbWorkerCommand):
    help = "Run the background worker (db_worker), with the PDF library warmed up first."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-pdf-warmup",
            action="store_true",
            help="Do not load WeasyPrint before taking tasks.",
        )

    def handle(self, *args, no_pdf_warmup: bool = False, **options) -> None:
        warm = not no_pdf_warmup and os.environ.get("PDF_WARMUP", "1").strip().lower() not in {
            "0",
            "false",
            "no",
            "off",
        }
        if warm:
            from core.pdf import warm_up

            seconds = warm_up()
            if options.get("verbosity", 1) >= 1:
                self.stdout.write(f"PDF library warmed up in {seconds:.2f} s")
        super().handle(*args, **options)
