from django.core.management.base import BaseCommand

from enrolment.services import course_started_record, offers_expire


class Command(BaseCommand):
    help = "Pass expired waiting-list offers to the next learner and record course starts."

    def handle(self, *args, **options):
        expired = offers_expire()
        started = course_started_record()
        self.stdout.write(f"expired offers: {expired}; course starts recorded: {started}")
