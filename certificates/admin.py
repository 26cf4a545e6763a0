from django.contrib import admin

from certificates.models import CertificateBatch, Document, TestResult
from people.scoped_admin import ProviderScopedAdmin


@admin.register(Document)
class DocumentAdmin(ProviderScopedAdmin):
    """Read-only: documents are issued, corrected and revoked through the certificate pages."""

    provider_path = "provider"
    list_display = ["learner", "kind", "course", "version", "issued_at", "revoked_at"]
    list_filter = ["kind"]
    search_fields = ["learner__last_name", "code"]
    exclude = ["pdf"]
    readonly_fields = [f.name for f in Document._meta.fields if f.name != "pdf"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CertificateBatch)
class CertificateBatchAdmin(ProviderScopedAdmin):
    provider_path = "provider"
    list_display = ["course", "status", "done", "total", "created_at"]
    exclude = ["pdf"]
    readonly_fields = [
        "provider",
        "course",
        "module",
        "language",
        "status",
        "total",
        "done",
        "error",
        "created_by",
        "created_at",
        "finished_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TestResult)
class TestResultAdmin(ProviderScopedAdmin):
    provider_path = "learner__provider"
    list_display = ["learner", "exam", "taken_on", "result", "level", "passed"]
    list_filter = ["exam"]
    autocomplete_fields = []
    raw_id_fields = ["learner", "course"]
    exclude = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        from certificates.services import exam_result_record

        created = exam_result_record(
            learner=obj.learner,
            exam=obj.exam,
            taken_on=obj.taken_on,
            result=obj.result,
            by=request.user,
            course=obj.course,
            module=obj.module,
            level=obj.level,
            passed=obj.passed,
        )
        obj.pk = created.pk
