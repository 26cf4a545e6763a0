"""Admin for enrolment data. Status changes go through the services (pages, API), so the admin
shows enrolments read-only and edits only rule values and test slots."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enrolment import models, services
from people.scoped_admin import ProviderScopedAdmin


@admin.register(models.Enrolment)
class EnrolmentAdmin(ProviderScopedAdmin):
    provider_path = "course__provider"
    list_display = ("learner", "course", "module", "status", "start_date", "ended_on")
    list_filter = ("status",)
    search_fields = ("learner__last_name", "learner__first_name", "learner__bamf_number")
    list_select_related = ("learner", "course__location", "course__course_type", "module")
    readonly_fields = [f.name for f in models.Enrolment._meta.fields]
    actions = ["expire_offers", "undo_today"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Pass expired offers to the next learner"))
    def expire_offers(self, request, queryset):
        count = services.offers_expire()
        self.message_user(request, _("%(n)s offers passed on.") % {"n": count})

    @admin.action(description=_("Take back today's withdrawal or transfer"))
    def undo_today(self, request, queryset):
        from django.contrib import messages

        from core.errors import DomainError

        for enrolment in queryset.select_related("learner", "course"):
            try:
                if enrolment.status == enrolment.Status.ENROLLED and enrolment.transferred_from_id:
                    services.enrolment_transfer_undo(enrolment=enrolment, by=request.user)
                else:
                    services.enrolment_withdraw_undo(enrolment=enrolment, by=request.user)
                self.message_user(
                    request, _("%(learner)s: taken back.") % {"learner": enrolment.learner}
                )
            except DomainError as exc:
                self.message_user(
                    request, f"{enrolment.learner}: {exc.message}", level=messages.WARNING
                )


@admin.register(models.EnrolmentPolicy)
class EnrolmentPolicyAdmin(ProviderScopedAdmin):
    provider_path = "provider"
    list_display = ("provider", "offer_hours", "late_entry_ue", "priority_rules")


@admin.register(models.WaitlistWish)
class WaitlistWishAdmin(ProviderScopedAdmin):
    provider_path = "learner__provider"
    list_display = ("learner", "course_type", "level", "module_order", "status", "created_at")
    list_filter = ("status",)
    readonly_fields = ("learner", "status", "passed_course_ids", "created_at", "created_by")
    list_select_related = ("learner", "course_type")

    def has_add_permission(self, request):
        return False


class BookingInline(admin.TabularInline):
    model = models.PlacementBooking
    extra = 0
    fields = ("learner", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.PlacementSlot)
class PlacementSlotAdmin(ProviderScopedAdmin):
    provider_path = "provider"
    list_display = ("date", "start_time", "location", "capacity", "tester")
    list_select_related = ("location", "tester")
    inlines = [BookingInline]


@admin.register(models.PlacementResult)
class PlacementResultAdmin(ProviderScopedAdmin):
    provider_path = "booking__slot__provider"
    list_display = ("booking", "level_reached", "placed_module", "recorded_at")
    readonly_fields = [f.name for f in models.PlacementResult._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(models.LoginCode)
class LoginCodeAdmin(ProviderScopedAdmin):
    provider_path = "learner__provider"
    list_display = ("learner", "created_at", "expires_at", "used_at", "revoked_at")
    readonly_fields = ("learner", "created_at", "expires_at", "used_at", "revoked_at", "created_by")
    exclude = ("code_hash",)

    def has_add_permission(self, request):
        return False


@admin.register(models.LearnerImport)
class LearnerImportAdmin(ProviderScopedAdmin):
    provider_path = "provider"
    list_display = ("file_name", "provider", "created_at", "imported_at")
    readonly_fields = (
        "file_name",
        "provider",
        "file_format",
        "created_at",
        "imported_at",
        "summary",
    )
    exclude = ("content",)

    def has_add_permission(self, request):
        return False
