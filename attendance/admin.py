"""Attendance in the admin: provider-scoped, read-mostly. Register entries are changed through the
register page (the service keeps the lock and the correction history), not here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from attendance import services
from attendance.models import (
    AbsenceReason,
    Alert,
    AlertRule,
    AttendanceCorrection,
    AttendanceRecord,
    LearnerCard,
    SessionSignOff,
)
from people.scoped_admin import ProviderScopedAdmin


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AbsenceReason)
class AbsenceReasonAdmin(admin.ModelAdmin):
    """The shared catalogue: edited by superusers (model permissions), not per provider."""

    list_display = ["code", "name", "default_code", "is_illness", "active", "order"]
    list_editable = ["active", "order"]


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "session__course__provider"
    list_display = [
        "session",
        "enrolment",
        "code",
        "ue_attended",
        "arrived_at",
        "left_at",
        "method",
    ]
    list_filter = ["code", "method"]
    list_select_related = ["session", "enrolment__learner"]
    search_fields = ["enrolment__learner__last_name", "enrolment__learner__first_name"]
    date_hierarchy = "recorded_at"


@admin.register(SessionSignOff)
class SessionSignOffAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "session__course__provider"
    list_display = ["session", "signed_by", "signed_at"]
    list_select_related = ["session", "signed_by"]


@admin.register(AttendanceCorrection)
class AttendanceCorrectionAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "record__session__course__provider"
    list_display = ["record", "changed_by", "changed_at", "old", "new", "reason"]
    list_select_related = ["record", "changed_by"]


@admin.register(LearnerCard)
class LearnerCardAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "learner__provider"
    list_display = ["learner", "issued_at", "revoked_at"]
    list_select_related = ["learner"]
    search_fields = ["learner__last_name", "learner__first_name"]
    exclude = ["token"]
    actions = ["revoke", "reissue"]

    @admin.action(description=_("Revoke the selected cards"))
    def revoke(self, request, queryset):
        for card in queryset:
            services.card_revoke(card=card, by=request.user)
        messages.success(request, _("Cards revoked."))

    @admin.action(description=_("Issue new cards to these learners"))
    def reissue(self, request, queryset):
        for card in queryset.select_related("learner"):
            services.card_issue(learner=card.learner, by=request.user)
        messages.success(request, _("New cards issued."))


@admin.register(AlertRule)
class AlertRuleAdmin(ProviderScopedAdmin):
    provider_path = "provider"
    list_display = ["name", "provider", "kind", "threshold_percent", "consecutive_days", "active"]
    list_filter = ["kind", "active"]


@admin.register(Alert)
class AlertAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "enrolment__course__provider"
    list_display = ["rule", "enrolment", "dates", "raised_at", "resolved_at", "notified_authority"]
    list_filter = ["rule__kind", "notified_authority"]
    list_select_related = ["rule", "enrolment__learner"]
