"""Admin that shows each provider's staff only their own provider's rows.

Every admin of a provider-owned model inherits ``ProviderScopedAdmin`` and names the path from
the model to its provider in ``provider_path``. Superusers see everything; staff see rows of the
providers where they hold the staff role, and foreign keys offer only those rows. Objects outside
the scope answer 404, like everywhere else.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from people.models import Role


def staff_provider_ids(request: HttpRequest) -> list[int]:
    return request.user.provider_ids(role=Role.STAFF)


def scope_queryset(qs: QuerySet, request: HttpRequest, path: str | None) -> QuerySet:
    """Limit ``qs`` to the request user's providers along ``path`` (``None``: not provider-owned)."""
    if request.user.is_superuser or path is None:
        return qs
    return qs.filter(**{f"{path}__in": staff_provider_ids(request)})


# How to reach the provider from models that other admins point at in foreign keys.
PROVIDER_PATHS: dict[str, str] = {
    "people.organisation": "pk",
    "people.location": "organisation",
    "people.learner": "provider",
    "courses.course": "provider",
    "courses.session": "course__provider",
    "enrolment.enrolment": "course__provider",
    "internships.employer": "provider",
    "internships.placement": "employer__provider",
}


class ProviderScopedAdmin(admin.ModelAdmin):
    provider_path: str = "provider"

    def _is_provider_staff(self, request: HttpRequest) -> bool:
        return request.user.is_active and (
            request.user.is_superuser or bool(staff_provider_ids(request))
        )

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
        return scope_queryset(super().get_queryset(request), request, self.provider_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        self._scope_field(field, db_field, request)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        self._scope_field(field, db_field, request)
        return field

    def _scope_field(self, field, db_field, request) -> None:
        if field is None or request.user.is_superuser:
            return
        label = db_field.related_model._meta.label_lower
        if label == "people.user":
            field.queryset = field.queryset.filter(
                memberships__organisation_id__in=staff_provider_ids(request)
            ).distinct()
        elif label == "people.organisation":
            field.queryset = field.queryset.filter(pk__in=staff_provider_ids(request))
        elif label in PROVIDER_PATHS:
            field.queryset = scope_queryset(field.queryset, request, PROVIDER_PATHS[label])


class ProviderScopedInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        ProviderScopedAdmin._scope_field(self, field, db_field, request)
        return field
