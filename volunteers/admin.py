"""Admin for volunteer work. Rule data (requirements per role, allowance limits) is read by staff
and changed by superusers; the records are read-only here, because every change goes through
the volunteers pages and their services (requirements, shifts, consents, hours, payments)."""

from __future__ import annotations

from django.contrib import admin

from people.scoped_admin import ProviderScopedAdmin, ProviderScopedInline, RuleDataAdmin
from volunteers.models import (
    Activity,
    AllowanceLimit,
    AllowancePayment,
    ConductCheck,
    HoursEntry,
    RequirementRecord,
    RequirementRule,
    Tandem,
    Volunteer,
    VolunteerLanguage,
    VolunteerPolicy,
)


@admin.register(RequirementRule)
class RequirementRuleAdmin(RuleDataAdmin):
    list_display = ["name", "code", "valid_from", "kind", "validity_months", "roles"]
    list_filter = ["kind"]


@admin.register(AllowanceLimit)
class AllowanceLimitAdmin(RuleDataAdmin):
    list_display = ["kind", "valid_from", "yearly_limit", "source"]


class ReadOnlyMixin:
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LanguageInline(ReadOnlyMixin, ProviderScopedInline):
    model = VolunteerLanguage


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "provider"
    list_display = ["__str__", "provider", "status", "start_date"]
    list_filter = ["status"]
    search_fields = ["user__last_name", "user__first_name", "user__email"]
    inlines = [LanguageInline]


@admin.register(ConductCheck)
class ConductCheckAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "volunteer__provider"
    list_display = ["volunteer", "inspected_on", "inspected_by_name", "result"]


@admin.register(RequirementRecord)
class RequirementRecordAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "volunteer__provider"
    list_display = ["volunteer", "code", "fulfilled_on", "expires_on"]
    list_filter = ["code"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "course__provider"
    list_display = ["__str__", "kind", "role", "volunteers_needed", "learner_signup", "is_public"]


@admin.register(Tandem)
class TandemAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "provider"
    list_display = ["volunteer", "learner", "status", "started_on", "ended_on", "stalled_since"]
    list_filter = ["status"]


@admin.register(HoursEntry)
class HoursEntryAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "volunteer__provider"
    list_display = ["volunteer", "date", "minutes", "source", "status"]
    list_filter = ["status", "source"]


@admin.register(AllowancePayment)
class AllowancePaymentAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    provider_path = "volunteer__provider"
    list_display = ["volunteer", "kind", "paid_on", "amount", "over_limit_confirmed"]


@admin.register(VolunteerPolicy)
class VolunteerPolicyAdmin(ProviderScopedAdmin):
    """Rule values per provider, and who coordinates its volunteers (staff change these)."""

    provider_path = "provider"
    provider_field = "provider"
    list_display = ["provider", "checkin_interval_days", "stall_after_days", "remind_days_before"]
    filter_horizontal = ["coordinators"]
