"""Admin for the billing rule data (readable for staff, changeable by superusers) and a
read-only view of claims for the provider's staff (claims are issued on the billing pages)."""

from __future__ import annotations

from django.contrib import admin

from billing.inge import admin as _inge_admin  # noqa: F401  (registers the InGe outbox's admin)
from billing.models import (
    BillableCode,
    Claim,
    ExemptionGround,
    OwnContribution,
    ReimbursementRate,
    TestFee,
    TravelSubsidyRule,
)
from people.scoped_admin import ProviderScopedAdmin, RuleDataAdmin


@admin.register(ReimbursementRate)
class ReimbursementRateAdmin(RuleDataAdmin):
    list_display = ("valid_from", "programme", "min_group_size", "max_group_size", "amount")
    list_filter = ("programme",)


@admin.register(OwnContribution)
class OwnContributionAdmin(RuleDataAdmin):
    list_display = ("valid_from", "amount", "basis")


@admin.register(BillableCode)
class BillableCodeAdmin(RuleDataAdmin):
    list_display = ("code", "valid_from", "billable", "basis")


@admin.register(ExemptionGround)
class ExemptionGroundAdmin(RuleDataAdmin):
    list_display = ("name", "code", "valid_from", "valid_until", "travel_subsidy")


@admin.register(Claim)
class ClaimAdmin(ProviderScopedAdmin):
    provider_path = "course__provider"
    list_display = ("course", "module", "status", "reimbursement_total", "issued_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Claim._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TestFee)
class TestFeeAdmin(RuleDataAdmin):
    list_display = ("kind", "valid_from", "amount")
    list_filter = ("kind",)


@admin.register(TravelSubsidyRule)
class TravelSubsidyRuleAdmin(RuleDataAdmin):
    list_display = ("valid_from", "amount_per_day", "min_distance_km", "codes", "starts")
