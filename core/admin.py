from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import schedule
from core.models import ScheduledJob


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """Read-only: the scheduler writes these rows; the schedule itself lives in code."""

    list_display = ("name", "schedule", "last_run_at", "last_period")
    readonly_fields = ("name", "last_period", "last_run_at")

    @admin.display(description=_("schedule"))
    def schedule(self, obj: ScheduledJob) -> str:
        job = next((j for j in schedule.jobs() if j.name == obj.name), None)
        return str(job.schedule) if job else "–"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
