"""Admin that shows each provider's staff only their own provider's rows.

Every admin of a provider-owned model inherits ``ProviderScopedAdmin`` and names the path from
the model to its provider in ``provider_path``. Superusers see everything; staff see rows of the
providers where they hold the staff role, and foreign keys offer only those rows. Objects outside
the scope are treated as missing: Django's admin answers a missing object with a redirect to the
changelist and a "doesn't exist" message, and the foreign object is never shown.

Rows about a learner whose data is restricted after an erasure request are hidden from every
scoped admin (``core.retention.unrestricted``, from the models' retention declarations).

Rule data (course types, modules, programmes) uses ``RuleDataAdmin``: provider staff may read it,
only superusers change it. ``ProviderImportExportMixin`` adds django-import-export to a scoped
admin; its resources receive the importing user and take the provider from them.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from import_export.formats import base_formats

from core.retention import unrestricted
from people.access import staff_provider_ids
from people.models import Organisation


def is_provider_staff(request: HttpRequest) -> bool:
    """Superusers and active users holding the staff role at a provider (not teachers etc.)."""
    user = request.user
    return user.is_active and (user.is_superuser or bool(staff_provider_ids(request.user)))


def is_active_superuser(request: HttpRequest) -> bool:
    """An active superuser (the network's coordinators): the only people who change rule data
    and networks; a deactivated superuser account changes nothing."""
    return request.user.is_active and request.user.is_superuser


def scope_queryset(qs: QuerySet, request: HttpRequest, path: str | None) -> QuerySet:
    """Limit ``qs`` to the request user's providers along ``path`` (``None``: not provider-owned)."""
    if request.user.is_superuser or path is None:
        return qs
    return qs.filter(**{f"{path}__in": staff_provider_ids(request.user)})


# How to reach the provider from a model that other admins point at in foreign keys: filled by
# each ``ProviderScopedAdmin`` as it is registered (model label → its ``provider_path``).
PROVIDER_PATHS: dict[str, str] = {}


def scope_formfield(field, db_field, request: HttpRequest) -> None:
    """Offer only the request user's providers' rows in a foreign-key or many-to-many field."""
    if field is None or request.user.is_superuser or not hasattr(field, "queryset"):
        return
    label = db_field.related_model._meta.label_lower
    ids = staff_provider_ids(request.user)
    if label == "people.user":
        field.queryset = field.queryset.filter(memberships__organisation_id__in=ids).distinct()
    elif label == "people.organisation":
        limit = getattr(db_field.remote_field, "limit_choices_to", None) or {}
        if limit.get("kind") == Organisation.Kind.JOBCENTER:
            # Jobcenters are public authorities, not provider data: staff name the one that
            # issued an obligation.
            return
        field.queryset = field.queryset.filter(pk__in=ids)
    elif label in PROVIDER_PATHS:
        field.queryset = scope_queryset(field.queryset, request, PROVIDER_PATHS[label])


class ProviderScopedAdmin(admin.ModelAdmin):
    provider_path: str | None = "provider"
    #: The field that names the provider on add forms (preset when staff have one provider).
    provider_field: str | None = None

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if self.provider_path is not None:
            PROVIDER_PATHS.setdefault(model._meta.label_lower, self.provider_path)

    def _is_provider_staff(self, request: HttpRequest) -> bool:
        return is_provider_staff(request)

    def has_module_permission(self, request):
        return self._is_provider_staff(request)

    def has_view_permission(self, request, obj=None):
        return self._is_provider_staff(request)

    def has_change_permission(self, request, obj=None):
        return self._is_provider_staff(request)

    def has_add_permission(self, request):
        return self._is_provider_staff(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_queryset(self, request):
        # Rows about a learner restricted after an erasure request are hidden here too: only the
        # data-protection officer sees them, on the data-protection pages.
        qs = scope_queryset(super().get_queryset(request), request, self.provider_path)
        return unrestricted(qs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        ids = staff_provider_ids(request.user)
        if self.provider_field and len(ids) == 1 and not request.user.is_superuser:
            initial.setdefault(self.provider_field, ids[0])
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        scope_formfield(field, db_field, request)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        scope_formfield(field, db_field, request)
        return field

    def _scope_field(self, field, db_field, request) -> None:  # kept for subclasses
        scope_formfield(field, db_field, request)


class ProviderScopedInline(admin.TabularInline):
    """An inline of a scoped admin: the parent admin already checked access to the object."""

    extra = 0

    def has_view_permission(self, request, obj=None):
        return is_provider_staff(request)

    def has_change_permission(self, request, obj=None):
        return is_provider_staff(request)

    def has_add_permission(self, request, obj=None):
        return is_provider_staff(request)

    def has_delete_permission(self, request, obj=None):
        return is_provider_staff(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        scope_formfield(field, db_field, request)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        scope_formfield(field, db_field, request)
        return field


class RuleDataAdmin(admin.ModelAdmin):
    """Rule data (limits, UE, levels with valid-from dates): staff read it, superusers change it."""

    def has_module_permission(self, request):
        return is_provider_staff(request)

    def has_view_permission(self, request, obj=None):
        return is_provider_staff(request)

    def has_change_permission(self, request, obj=None):
        return is_active_superuser(request)

    def has_add_permission(self, request, *args):
        return is_active_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return is_active_superuser(request)


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Data only active superusers see and change (networks, a Jobcenter's participation
    rules): no provider owns it, so there is no scope to narrow it to."""

    def has_module_permission(self, request):
        return is_active_superuser(request)

    def has_view_permission(self, request, obj=None):
        return is_active_superuser(request)

    def has_change_permission(self, request, obj=None):
        return is_active_superuser(request)

    def has_add_permission(self, request):
        return is_active_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return is_active_superuser(request)


class RuleDataInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        return is_provider_staff(request)

    def has_change_permission(self, request, obj=None):
        return is_active_superuser(request)

    def has_add_permission(self, request, obj=None):
        return is_active_superuser(request)

    def has_delete_permission(self, request, obj=None):
        return is_active_superuser(request)


class ProviderImportExportMixin:
    """django-import-export for a scoped admin.

    Import and export are open to the same people as the admin itself; the resource gets the
    requesting user (``user=``) so it imports into that user's provider only, and the export
    takes the admin's scoped queryset.
    """

    import_error_display = ("message",)
    formats = [base_formats.CSV, base_formats.XLSX]

    def has_import_permission(self, request):
        return is_provider_staff(request)

    def has_export_permission(self, request):
        return is_provider_staff(request)

    def get_import_resource_kwargs(self, request, **kwargs):
        kwargs = super().get_import_resource_kwargs(request, **kwargs)
        kwargs.pop("form", None)
        return {**kwargs, "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"user": request.user}

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing also in the confirm step: any invalid row rolls the whole file back.
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs
