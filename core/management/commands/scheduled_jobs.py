from django.core.management.base import BaseCommand
from django.utils import timezone

from core import schedule
from core.models import ScheduledJob


class Command(BaseCommand):
    help = "List the recurring jobs, their schedule and when each last ran."

    def handle(self, *args, **options):
        last = dict(ScheduledJob.objects.values_list("name", "last_run_at"))
        stale = set(schedule.stale_jobs())
        for job in schedule.jobs():
            ran = last.get(job.name)
            when = timezone.localtime(ran).strftime("%Y-%m-%d %H:%M") if ran else "never"
            flag = "  OVERDUE" if job.name in stale else ""
            self.stdout.write(f"{job.name:40} {job.schedule!s:20} {when}{flag}")
