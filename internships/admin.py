from django.contrib import admin

from internships.models import Employer, InternshipWish, Placement, PlacementDay
from people.scoped_admin import ProviderScopedAdmin, ProviderScopedInline


@admin.register(Employer)
class EmployerAdmin(ProviderScopedAdmin):
    provider_path = "provider"
    list_display = ["name", "sector", "town", "places_offered", "min_level", "active"]
    list_filter = ["active", "sector"]
    search_fields = ["name", "sector", "town"]

    def save_model(self, request, obj, form, change):
        from internships.services import employer_save

        fields = {k: v for k, v in form.cleaned_data.items() if k != "provider"}
        saved = employer_save(
            provider=form.cleaned_data["provider"],
            employer=obj if change else None,
            by=request.user,
            **fields,
        )
        obj.pk = saved.pk


class PlacementDayInline(ProviderScopedInline):
    model = PlacementDay
    readonly_fields = ["date", "present", "hours", "note", "confirmed_by_name", "confirmed_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(ProviderScopedAdmin):
    """Read-only list: placements change through the internship pages (their services)."""

    provider_path = "employer__provider"
    list_display = ["learner", "employer", "type", "start_date", "end_date", "status"]
    list_filter = ["status", "type"]
    search_fields = ["learner__last_name", "employer__name"]
    inlines = [PlacementDayInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(InternshipWish)
class InternshipWishAdmin(ProviderScopedAdmin):
    provider_path = "learner__provider"
    list_display = ["learner", "sector", "language_level", "town", "active"]
    raw_id_fields = ["learner"]

    def save_model(self, request, obj, form, change):
        from internships.services import internship_wish_save

        data = dict(form.cleaned_data)
        saved = internship_wish_save(
            learner=data.pop("learner"), sector=data.pop("sector"), by=request.user, **data
        )
        obj.pk = saved.pk
