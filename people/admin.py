"""Admin for people: organisations, locations, memberships, users and learners.

Provider staff see only their own providers' rows (``people.scoped_admin.ProviderScopedAdmin``); roles are
granted and taken through ``people.services.membership_grant``/``membership_revoke`` so the admin
flag follows the staff role. Locations can be imported and exported (``people.resources``).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin

from people.models import (
    Entitlement,
    Learner,
    Location,
    Membership,
    Network,
    OpeningHours,
    Organisation,
    Role,
    User,
)
from people.phones import PhoneFormMixin
from people.resources import LocationResource
from people.scoped_admin import (
    ProviderImportExportMixin,
    ProviderScopedAdmin,
    ProviderScopedInline,
    SuperuserOnlyAdmin,
    is_active_superuser,
    is_provider_staff,
    staff_provider_ids,
)
from people.services import (
    ROLES_BY_KIND,
    learner_confirm_identity,
    membership_grant,
    membership_revoke,
)

STAFF_GRANTABLE_ROLES = [
    (Role.STAFF, Role.STAFF.label),
    (Role.TEACHER, Role.TEACHER.label),
    (Role.DATA_PROTECTION_OFFICER, Role.DATA_PROTECTION_OFFICER.label),
]


def check_role_fits(organisation: Organisation | None, role: str | None) -> None:
    """Form-side check of the rule ``membership_grant`` applies (roles by organisation kind)."""
    if organisation is None or not role:
        return
    if role not in ROLES_BY_KIND.get(organisation.kind, frozenset()):
        raise forms.ValidationError(
            {"role": _("This role does not exist in an organisation of this kind.")}
        )


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "organisation", "role")

    def clean(self):
        data = super().clean()
        check_role_fits(data.get("organisation"), data.get("role"))
        return data


def _limit_roles(field, request) -> None:
    if field is not None and not request.user.is_superuser:
        field.choices = [("", "---------"), *STAFF_GRANTABLE_ROLES]


# -- organisations and locations ----------------------------------------------------------------
@admin.register(Network)
class NetworkAdmin(SuperuserOnlyAdmin):
    """Networks span providers: superusers only."""

    list_display = ("name",)


class LocationInline(ProviderScopedInline):
    model = Location
    fields = ("name", "street", "postcode", "town", "state", "step_free")


@admin.register(Organisation)
class OrganisationAdmin(ProviderScopedAdmin):
    provider_path = "pk"
    list_display = ("name", "short_name", "kind", "network", "data_protection_regime")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    inlines = [LocationInline]
    fieldsets = (
        (None, {"fields": ("name", "short_name", "kind", "network", "bamf_provider_number")}),
        (_("Contact"), {"fields": ("email", "phone")}),
        (_("Data protection"), {"fields": ("data_protection_regime", "legal_basis_text")}),
    )

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return ("name", "kind", "network", "data_protection_regime")

    def has_add_permission(self, request):
        return is_active_superuser(request)


class OpeningHoursInline(ProviderScopedInline):
    """The location's opening hours in the network directory."""

    model = OpeningHours
    fields = ("weekday", "opens", "closes", "note")
    extra = 0


@admin.register(Location)
class LocationAdmin(ProviderImportExportMixin, ImportExportMixin, ProviderScopedAdmin):
    provider_path = "organisation"
    provider_field = "organisation"
    resource_classes = [LocationResource]
    list_display = ("name", "town", "postcode", "state", "organisation", "step_free")
    list_filter = ("state", ("organisation", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("organisation",)
    search_fields = ("name", "town", "street")
    inlines = [OpeningHoursInline]


# -- memberships and users ----------------------------------------------------------------------
@admin.register(Membership)
class MembershipAdmin(ProviderScopedAdmin):
    """Roles per organisation. Granted and revoked through the services (admin flag follows)."""

    provider_path = "organisation"
    provider_field = "organisation"
    form = MembershipForm
    list_display = ("user", "organisation", "role")
    list_filter = ("role", ("organisation", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("user", "organisation")
    search_fields = ("user__username", "user__first_name", "user__last_name")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "organisation", "role") if obj is not None else ()

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "role":
            _limit_roles(field, request)
        return field

    def has_delete_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        if not is_provider_staff(request):
            return False
        # Staff may take roles at their providers away, but not their own.
        return obj is None or obj.user_id != request.user.pk

    def save_model(self, request, obj, form, change):
        if change:
            return  # memberships are granted or revoked, not edited
        granted = membership_grant(user=obj.user, organisation=obj.organisation, role=obj.role)
        obj.pk = granted.pk

    def delete_model(self, request, obj):
        membership_revoke(membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            if request.user.is_superuser or membership.user_id != request.user.pk:
                membership_revoke(membership=membership)


class MembershipInline(ProviderScopedInline):
    model = Membership
    form = MembershipForm
    fk_name = "user"
    fields = ("organisation", "role")

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("organisation")
        if request.user.is_superuser:
            return qs
        return qs.filter(organisation_id__in=staff_provider_ids(request.user))

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "role":
            _limit_roles(field, request)
        return field


class StaffUserCreationForm(AdminUserCreationForm):
    """New user plus their first role, so staff can find the user again afterwards."""

    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none(), required=False
    )
    role = forms.ChoiceField(label=_("role"), choices=[("", "---------")], required=False)

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) != bool(data.get("role")):
            raise forms.ValidationError(_("Choose both an organisation and a role, or neither."))
        check_role_fits(data.get("organisation"), data.get("role"))
        return data


@admin.register(User)
class UserAdmin(ProviderScopedAdmin, DjangoUserAdmin):
    """Users who work for, or learn at, the staff member's providers (never superusers)."""

    provider_path = None
    add_form = StaffUserCreationForm
    inlines = [MembershipInline]
    list_display = ("username", "first_name", "last_name", "email", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "memberships__role")
    staff_fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("first_name", "last_name", "email", "preferred_language")},
        ),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Language"), {"fields": ("preferred_language",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("Role"), {"fields": ("organisation", "role")}),
    )

    def get_queryset(self, request):
        qs = DjangoUserAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return qs
        ids = staff_provider_ids(request.user)
        members = Membership.objects.filter(organisation_id__in=ids).values("user_id")
        learners = Learner.objects.filter(provider_id__in=ids, user__isnull=False).values("user_id")
        return qs.filter(Q(pk__in=members) | Q(pk__in=learners)).exclude(is_superuser=True)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return self.superuser_fieldsets if request.user.is_superuser else self.staff_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ()
        return ("last_login", "date_joined")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            return form
        superuser = request.user.is_superuser
        providers = Organisation.objects.all()
        if not superuser:
            providers = providers.filter(pk__in=staff_provider_ids(request.user))
        roles = Role.choices if superuser else STAFF_GRANTABLE_ROLES

        class AddForm(form):  # fresh fields per request: choices depend on the user
            organisation = forms.ModelChoiceField(
                label=_("organisation"), queryset=providers, required=not superuser
            )
            role = forms.ChoiceField(
                label=_("role"), choices=[("", "---------"), *roles], required=not superuser
            )

        return AddForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and form.cleaned_data.get("organisation"):
            membership_grant(
                user=obj,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
            )

    def get_inline_instances(self, request, obj=None):
        return super().get_inline_instances(request, obj) if obj is not None else []

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        old = {m.pk: m for m in Membership.objects.filter(pk__in=[f.instance.pk for f in formset])}
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            if request.user.is_superuser or membership.user_id != request.user.pk:
                membership_revoke(membership=membership)
        for membership in memberships:
            if membership.pk is not None and membership.pk in old:
                membership_revoke(membership=old[membership.pk])
            membership_grant(
                user=form.instance, organisation=membership.organisation, role=membership.role
            )

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# -- learners -----------------------------------------------------------------------------------
class EntitlementInline(ProviderScopedInline):
    model = Entitlement
    fields = (
        "kind",
        "authority",
        "authority_name",
        "jobcenter",
        "reference",
        "issued_on",
        "expires_on",
    )


class LearnerAdminForm(PhoneFormMixin, forms.ModelForm):
    pass


@admin.register(Learner)
class LearnerAdmin(ProviderScopedAdmin):
    form = LearnerAdminForm
    provider_path = "provider"
    provider_field = "provider"
    inlines = [EntitlementInline]
    list_display = (
        "last_name",
        "first_name",
        "date_of_birth",
        "nationality",
        "preferred_language",
        "provider",
        "registered_on",
        "identity_confirmed",
    )
    list_filter = (
        ("provider", admin.RelatedOnlyFieldListFilter),
        "preferred_language",
        "childcare_needed",
        "fee_exempt",
        "entitlements__kind",
    )
    list_select_related = ("provider",)
    search_fields = ("last_name", "first_name", "bamf_number", "email", "phone")
    date_hierarchy = "registered_on"
    readonly_fields = ("user", "identity_confirmed_at", "identity_confirmed_by")
    actions = ["confirm_identity"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "provider",
                    ("first_name", "last_name"),
                    ("date_of_birth", "gender"),
                    ("birth_place", "country_of_birth", "nationality"),
                    "native_language",
                    "bamf_number",
                )
            },
        ),
        (_("Contact"), {"fields": ("street", ("postcode", "town"), "phone", "email", "user")}),
        (
            _("Course wishes"),
            {
                "fields": (
                    "preferred_language",
                    "childcare_needed",
                    "available_times",
                    "fee_exempt",
                    "registered_on",
                )
            },
        ),
        (
            _("Identity"),
            {"fields": ("identity_confirmed_at", "identity_confirmed_by", "notes")},
        ),
    )

    @admin.display(boolean=True, description=_("identity confirmed"))
    def identity_confirmed(self, obj: Learner) -> bool:
        return obj.identity_confirmed_at is not None

    @admin.action(description=_("Confirm identity of the selected learners"))
    def confirm_identity(self, request, queryset):
        with transaction.atomic():
            for learner in queryset:
                learner_confirm_identity(learner=learner, by=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Identity confirmed for %(count)d learner.",
                "Identity confirmed for %(count)d learners.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
