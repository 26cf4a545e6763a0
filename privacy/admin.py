"""Admin for data protection: retention classes (rule data), a provider's shorter periods,
legal holds (audited), the data-protection settings, the deletion log and answered requests.

The learner admin gets two actions here (this app sits on top and may extend it): the data
package of one learner, and the way to the erasure page with its check.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from people.models import Learner
from people.scoped_admin import ProviderScopedAdmin, RuleDataAdmin, is_provider_staff
from privacy.models import (
    DataRequest,
    DeletionLog,
    LegalHold,
    PrivacySettings,
    ProviderRetentionRule,
    RetentionRule,
)


@admin.register(RetentionRule)
class RetentionRuleAdmin(RuleDataAdmin):
    list_display = (
        "key",
        "valid_from",
        "period",
        "unit",
        "from_year_end",
        "legal_duty",
        "legal_source",
    )
    list_filter = ("legal_duty", "unit")
    search_fields = ("key", "legal_source")


@admin.register(ProviderRetentionRule)
class ProviderRetentionRuleAdmin(ProviderScopedAdmin):
    """A provider's shorter periods; the model's check refuses a longer one or a legal duty."""

    provider_field = "provider"
    list_display = ("provider", "key", "valid_from", "period", "unit", "note")
    list_filter = ("key",)


@admin.register(LegalHold)
class LegalHoldAdmin(ProviderScopedAdmin):
    provider_field = "provider"
    list_display = ("provider", "scope", "reason", "starts_on", "ends_on", "created_by")
    list_filter = ("ends_on",)
    list_select_related = ("provider", "course", "course__course_type", "course__location")
    autocomplete_fields = ("learner", "course")
    readonly_fields = ("created_by", "created_at")
    fields = ("provider", "learner", "course", "reason", "starts_on", "ends_on", *readonly_fields)
    search_fields = ("reason",)

    @admin.display(description=_("covers"))
    def scope(self, obj: LegalHold) -> str:
        return obj.scope_label

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PrivacySettings)
class PrivacySettingsAdmin(ProviderScopedAdmin):
    provider_field = "provider"
    list_display = ("provider", "dpo_name", "dpo_email")


class ReadOnlyScopedAdmin(ProviderScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeletionLog)
class DeletionLogAdmin(ReadOnlyScopedAdmin):
    list_display = ("at", "ran_on", "source", "provider", "key", "model", "action", "count")
    list_filter = ("source", "action", "key")
    date_hierarchy = "at"


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyScopedAdmin):
    list_display = ("completed_at", "provider", "kind", "handled_by")
    list_filter = ("kind",)
    exclude = ("learner",)


# -- actions on the learner admin ----------------------------------------------------------------


@admin.action(description=_("Data protection: copy of the data (PDF)"))
def data_package(modeladmin, request, queryset):
    if queryset.count() != 1:
        modeladmin.message_user(
            request, _("Choose exactly one learner for the data package."), messages.WARNING
        )
        return None
    return HttpResponseRedirect(reverse("privacy-learner-data", args=[queryset.get().pk]))


@admin.action(description=_("Data protection: erasure request…"))
def erasure_request(modeladmin, request, queryset):
    if queryset.count() != 1 or not is_provider_staff(request):
        modeladmin.message_user(
            request, _("Choose exactly one learner for an erasure request."), messages.WARNING
        )
        return None
    return HttpResponseRedirect(reverse("privacy-learner", args=[queryset.get().pk]))


learner_admin = admin.site.get_model_admin(Learner)
learner_admin.actions = [*learner_admin.actions, data_package, erasure_request]
