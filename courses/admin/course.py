"""The course admin: provider staff see their own providers' courses only; a new course is created
through ``course_create`` and a change goes through ``course_update`` (both plan the sessions),
together with the weekly timetable."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from courses.admin.forms import SLOT_FIELDS, CourseAdminForm, TimetableFormSet, save_course
from courses.models import Course, TimetableSlot
from courses.resources import CourseResource
from courses.services import DESCRIPTION_TRANSLATIONS
from people.models import Role, User
from people.scoped_admin import (
    ProviderImportExportMixin,
    ProviderScopedAdmin,
    ProviderScopedInline,
    staff_provider_ids,
)


class TimetableSlotInline(ProviderScopedInline):
    model = TimetableSlot
    formset = TimetableFormSet
    fields = SLOT_FIELDS
    extra = 1


@admin.register(Course)
class CourseAdmin(ProviderImportExportMixin, ImportExportMixin, ProviderScopedAdmin):
    provider_path = "provider"
    provider_field = "provider"
    form = CourseAdminForm
    resource_classes = [CourseResource]
    inlines = [TimetableSlotInline]
    list_display = (
        "__str__",
        "bamf_course_number",
        "provider",
        "location",
        "course_type",
        "start_date",
        "end_date",
        "time_of_day",
        "capacity",
        "status",
    )
    list_filter = (
        "status",
        "course_type",
        "time_of_day",
        ("provider", admin.RelatedOnlyFieldListFilter),
        ("location", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("provider", "location", "course_type")
    search_fields = ("title", "bamf_course_number", "location__town", "location__name")
    date_hierarchy = "start_date"
    filter_horizontal = ("teachers",)
    derived_fields = ("end_date", "time_of_day", "ue_per_week")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "provider",
                    "location",
                    "course_type",
                    "first_module",
                    "title",
                    "bamf_course_number",
                    "status",
                    "is_published",
                )
            },
        ),
        (
            _("Dates and seats"),
            {
                "fields": (
                    "start_date",
                    "end_date",
                    "time_of_day",
                    "ue_per_week",
                    "capacity",
                    "confirm_plan",
                )
            },
        ),
        (
            _("Details"),
            {
                "fields": (
                    "format",
                    "room",
                    "childcare",
                    "teachers",
                    "waitlist_auto_enrol",
                )
            },
        ),
        (
            _("Description for the catalogue"),
            {
                "description": _(
                    "In German; add it in the learners' languages where you can, German is shown "
                    "where a language is left empty."
                ),
                "fields": DESCRIPTION_TRANSLATIONS,
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.derived_fields
        # What the course is cannot change once it exists (course_update refuses it).
        return ("provider", "course_type", "first_module", *self.derived_fields)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "teachers":
            teachers = User.objects.filter(memberships__role=Role.TEACHER)
            if not request.user.is_superuser:
                teachers = teachers.filter(
                    memberships__organisation_id__in=staff_provider_ids(request.user)
                )
            kwargs["queryset"] = teachers.distinct().order_by("last_name", "first_name")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        """Nothing yet: ``save_related`` saves through the service once the timetable is known."""

    def save_related(self, request, form, formsets, change):
        timetable = next(fs for fs in formsets if fs.model is TimetableSlot)
        course = save_course(form, timetable, by=request.user)
        form.instance.pk = course.pk
        form.instance._state.adding = False
        form.instance.refresh_from_db()
        for formset in formsets:  # saved by the service; nothing left for the change message
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def get_export_queryset(self, request):
        return (
            super()
            .get_export_queryset(request)
            .select_related("provider", "location", "course_type", "first_module")
            .prefetch_related("timetable")
        )
