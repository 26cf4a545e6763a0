import signal
import time

from django.core.management.base import BaseCommand

from core import schedule


class Command(BaseCommand):
    help = "Run the recurring jobs (core.schedule) at their times: enqueue each due job's task."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument(
            "--interval", type=float, default=20.0, help="Seconds between checks (default 20)."
        )

    def handle(self, *args, once=False, interval=20.0, **options):
        stop = False

        def _stop(signum, frame):
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        self.stdout.write(f"Scheduler: {len(schedule.jobs())} jobs")
        while not stop:
            for name in schedule.run_due():
                self.stdout.write(f"enqueued {name}")
            if once:
                break
            slept = 0.0
            while not stop and slept < interval:
                time.sleep(0.5)
                slept += 0.5
