"""Admin of the InGe outbox: reports read-only (they are checked and recorded on the outbox
pages), teachers' BAMF admissions editable by the provider's staff."""

from __future__ import annotations

from django.contrib import admin

from billing.models import InGeReport, TeacherAdmission
from people.scoped_admin import ProviderScopedAdmin


@admin.register(InGeReport)
class InGeReportAdmin(ProviderScopedAdmin):
    provider_path = "course__provider"
    list_display = ("kind", "course", "due_on", "status", "sent_on", "sent_by")
    list_filter = ("kind", "status")
    readonly_fields = [f.name for f in InGeReport._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TeacherAdmission)
class TeacherAdmissionAdmin(ProviderScopedAdmin):
    provider_field = "provider"
    list_display = ("teacher", "number", "admitted_on", "expires_on", "provider")
    search_fields = ("teacher__last_name", "teacher__first_name", "number")
