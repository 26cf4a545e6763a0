"""Admin for links and consents, API keys, rules, access log and webhooks.

Links follow the learner's provider (``ProviderScopedAdmin``). Keys, webhooks and the request log
belong to a Jobcenter: its own administrators and the network coordinators manage them
(``access.managed_jobcenter_ids``); provider staff see only the access-log records about their own
learners.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from jobcenter import services
from jobcenter.access import managed_jobcenter_ids
from jobcenter.models import (
    AccessLogEntry,
    AccessLogRecord,
    JobcenterAPIKey,
    JobcenterLink,
    ParticipationRule,
    Webhook,
    WebhookDelivery,
)
from people.models import Organisation
from people.scoped_admin import (
    ProviderScopedAdmin,
    SuperuserOnlyAdmin,
    scope_queryset,
    staff_provider_ids,
)


def managed_jobcenters(request) -> QuerySet[Organisation]:
    """Jobcenters the admin user administers (all for superusers)."""
    qs = Organisation.objects.filter(kind=Organisation.Kind.JOBCENTER)
    ids = managed_jobcenter_ids(request.user)
    return qs if ids is None else qs.filter(pk__in=ids)


class JobcenterScopedAdmin(admin.ModelAdmin):
    """Rows of Jobcenters the user manages (path to the Jobcenter in ``jobcenter_path``)."""

    jobcenter_path = "jobcenter"

    def _allowed(self, request) -> bool:
        return request.user.is_active and (
            request.user.is_superuser or managed_jobcenters(request).exists()
        )

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.jobcenter_path}__in": managed_jobcenters(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "jobcenter":
            kwargs["queryset"] = managed_jobcenters(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- links --------------------------------------------------------------------------------------


class LinkForm(forms.ModelForm):
    """Creating a link goes through ``services.link_create`` (the rules live there)."""

    class Meta:
        model = JobcenterLink
        fields = [
            "learner",
            "jobcenter",
            "customer_number",
            "basis",
            "obligation",
            "consent_given_on",
            "consent_scope",
        ]

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self._errors:
            try:
                self.created = services.link_create(
                    learner=data["learner"],
                    jobcenter=data["jobcenter"],
                    customer_number=data["customer_number"],
                    basis=data["basis"],
                    obligation=data.get("obligation"),
                    consent_given_on=data.get("consent_given_on"),
                    consent_scope=data.get("consent_scope") or "",
                    by=None if self.user.is_superuser else self.user,
                )
            except DomainError as exc:
                raise ValidationError(
                    {exc.field: exc.message} if exc.field else exc.message
                ) from exc
        return data

    def _post_clean(self):
        if getattr(self, "created", None) is None:
            super()._post_clean()


@admin.register(JobcenterLink)
class JobcenterLinkAdmin(ProviderScopedAdmin):
    provider_path = "learner__provider"
    form = LinkForm
    list_display = (
        "learner",
        "jobcenter",
        "customer_number",
        "basis",
        "consent_scope",
        "consent_given_on",
        "revoked_at",
        "ended_at",
    )
    list_filter = ("basis", "jobcenter")
    search_fields = ("customer_number", "learner__last_name", "learner__first_name")
    list_select_related = ("learner", "jobcenter")
    actions = ["revoke_consent", "end_link"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            *LinkForm.Meta.fields,
            "consent_recorded_by",
            "revoked_at",
            "revoked_by",
            "ended_at",
            "created_at",
            "created_by",
        )

    def save_form(self, request, form, change):
        created = getattr(form, "created", None)
        if created is not None:
            form.save_m2m = lambda: None  # the service saved everything
            return created
        return super().save_form(request, form, change)

    def save_model(self, request, obj, form, change):
        if obj.pk is None:  # pragma: no cover - created by the service in the form
            raise ValidationError(gettext("The link could not be created."))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "jobcenter":
            kwargs["queryset"] = Organisation.objects.filter(kind=Organisation.Kind.JOBCENTER)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "obligation" and field is not None and not request.user.is_superuser:
            field.queryset = field.queryset.filter(
                learner__provider_id__in=staff_provider_ids(request.user)
            )
        return field

    def _change_each(self, request, queryset, service, done_message):
        done = 0
        for link in queryset:
            try:
                service(link=link, by=None if request.user.is_superuser else request.user)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{link}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Record revocation of consent (effective at once)"))
    def revoke_consent(self, request, queryset):
        self._change_each(
            request,
            queryset,
            services.consent_revoke,
            gettext("Consent revoked for %(count)d link(s)."),
        )

    @admin.action(description=_("End link"))
    def end_link(self, request, queryset):
        self._change_each(request, queryset, services.link_end, gettext("%(count)d link(s) ended."))


# --- API keys -----------------------------------------------------------------------------------


@admin.register(JobcenterAPIKey)
class JobcenterAPIKeyAdmin(JobcenterScopedAdmin):
    list_display = ("prefix", "name", "jobcenter", "created", "expiry_date", "revoked")
    list_filter = ("revoked", "jobcenter")
    search_fields = ("name", "prefix")
    fields = ("jobcenter", "name", "expiry_date", "prefix", "revoked", "revoked_at", "created")
    actions = ["revoke_keys"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ("prefix", "revoked", "revoked_at", "created")
        return self.fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            key_obj, key = services.api_key_create(
                jobcenter=obj.jobcenter,
                name=obj.name,
                by=None if request.user.is_superuser else request.user,
            )
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            raise
        if obj.expiry_date:
            key_obj.expiry_date = obj.expiry_date
            key_obj.save(update_fields=["expiry_date"])
        obj.pk = key_obj.pk
        obj.prefix, obj.hashed_key, obj.created = (
            key_obj.prefix,
            key_obj.hashed_key,
            key_obj.created,
        )
        obj._state.adding = False
        self.message_user(
            request,
            gettext("The API key is: %(key)s — store it now, it will not be shown again.")
            % {"key": key},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke selected keys"))
    def revoke_keys(self, request, queryset):
        for api_key in queryset:
            services.api_key_revoke(
                api_key=api_key, by=None if request.user.is_superuser else request.user
            )
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", queryset.count())
            % {"count": queryset.count()},
            messages.SUCCESS,
        )


# --- rules ----------------------------------------------------------------------------------------


@admin.register(ParticipationRule)
class ParticipationRuleAdmin(SuperuserOnlyAdmin):
    """Rule data: set by superusers (the network's coordinators), valid from a date."""

    list_display = ("jobcenter", "valid_from", "min_rate", "max_unexcused_days")
    list_filter = ("jobcenter",)


# --- access log ---------------------------------------------------------------------------------


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AccessLogRecordInline(ReadOnlyMixin, admin.TabularInline):
    model = AccessLogRecord
    fields = ("learner", "customer_number", "fields")
    readonly_fields = fields
    extra = 0

    def has_view_permission(self, request, obj=None):
        return True

    def get_queryset(self, request):
        return scope_queryset(
            super().get_queryset(request).select_related("learner"),
            request,
            "learner__provider",
        )


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyMixin, JobcenterScopedAdmin):
    list_display = ("at", "channel", "jobcenter", "who", "method", "path", "status_code", "records")
    list_filter = ("channel", "status_code", "jobcenter")
    date_hierarchy = "at"
    inlines = [AccessLogRecordInline]
    list_select_related = ("jobcenter", "user", "api_key")


@admin.register(AccessLogRecord)
class AccessLogRecordAdmin(ReadOnlyMixin, ProviderScopedAdmin):
    """What each Jobcenter saw of the provider's own learners."""

    provider_path = "learner__provider"
    list_display = ("entry_at", "learner", "customer_number", "jobcenter", "fields")
    search_fields = ("learner__last_name", "customer_number")
    list_select_related = ("entry__jobcenter", "learner")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(learner__isnull=False)

    @admin.display(description=_("at"), ordering="entry__at")
    def entry_at(self, obj):
        return obj.entry.at

    @admin.display(description=_("Jobcenter"))
    def jobcenter(self, obj):
        return obj.entry.jobcenter


# --- webhooks -------------------------------------------------------------------------------------


@admin.register(Webhook)
class WebhookAdmin(JobcenterScopedAdmin):
    list_display = ("url", "jobcenter", "is_active", "created_at")
    list_filter = ("is_active",)
    fields = ("jobcenter", "url", "is_active", "created_at")
    readonly_fields = ("created_at",)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["is_active", "url"])
            return
        try:
            hook = services.webhook_register(jobcenter=obj.jobcenter, url=obj.url)
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            raise
        obj.pk, obj.secret, obj._state.adding = hook.pk, hook.secret, False
        self.message_user(
            request,
            gettext("Signing secret: %(secret)s — give it to the Jobcenter now.")
            % {"secret": hook.secret},
            messages.WARNING,
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, JobcenterScopedAdmin):
    jobcenter_path = "webhook__jobcenter"
    list_display = (
        "created_at",
        "webhook",
        "event_id",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    )
    list_filter = ("status",)
    list_select_related = ("webhook",)
