"""Admin for courses, their timetable and sessions, and the course rule data.

Every write goes through ``courses.services``: a new course through ``course_create`` and a
change through ``course_update`` (both plan the sessions through ``course_plan_sessions``), a
cancelled session through ``session_cancel``. Before anything is saved the same service call runs
once inside a savepoint that is rolled back, so its rule errors (location of another provider,
capacity above the course type's group size, a timetable that cannot be planned …) show up as
form errors instead of a crash. Provider staff see their own providers' courses only; course
types, modules and programmes are rule data: readable for staff, changeable by superusers, who
enter the names of course types and modules in German and, where they wish, in the learners'
languages (one field per language).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from modeltranslation.admin import TranslationAdmin, TranslationInlineModelAdmin

from core.errors import DomainError
from courses.models import Course, CourseType, Module, Programme, Session, TimetableSlot
from courses.resources import CourseResource
from courses.services import (
    DESCRIPTION_TRANSLATIONS,
    UPDATABLE_FIELDS,
    course_create,
    course_update,
    session_cancel,
)
from people.models import Role, User
from people.scoped_admin import (
    ProviderImportExportMixin,
    ProviderScopedAdmin,
    ProviderScopedInline,
    RuleDataAdmin,
    RuleDataInline,
    scope_queryset,
    staff_provider_ids,
)

# Course fields handed to ``course_create`` as they are.
CREATE_FIELDS = (
    "title",
    "room",
    "bamf_course_number",
    "format",
    "childcare",
    "status",
    "is_published",
    *DESCRIPTION_TRANSLATIONS,
    "waitlist_auto_enrol",
)
SLOT_FIELDS = ("weekday", "start_time", "end_time", "ue")


# -- rule data ----------------------------------------------------------------------------------
@admin.register(Programme)
class ProgrammeAdmin(RuleDataAdmin):
    list_display = ("name", "code", "legal_basis", "start_deadline_weeks")


class ModuleInline(TranslationInlineModelAdmin, RuleDataInline):
    model = Module
    fields = ("order", "name", "kind", "ue", "target_level")


@admin.register(CourseType)
class CourseTypeAdmin(TranslationAdmin, RuleDataAdmin):
    list_display = (
        "name",
        "code",
        "programme",
        "valid_from",
        "max_group_size",
        "min_participants",
        "target_level",
    )
    list_filter = ("programme", "valid_from")
    list_select_related = ("programme",)
    inlines = [ModuleInline]


@admin.register(Module)
class ModuleAdmin(TranslationAdmin, RuleDataAdmin):
    list_display = ("name", "course_type", "order", "kind", "ue", "target_level")
    list_filter = ("course_type",)
    list_select_related = ("course_type",)


# -- courses ------------------------------------------------------------------------------------
class _Rollback(Exception):
    pass


def dry_run(fn) -> Exception | None:
    """Run ``fn`` in a savepoint that is always rolled back; return its rule error, if any."""
    try:
        with transaction.atomic():
            fn()
            raise _Rollback
    except _Rollback:
        return None
    except (DomainError, ValidationError) as error:
        return error


def save_course(form: forms.ModelForm, timetable: TimetableFormSet, *, by: User | None) -> Course:
    """Create the course through ``course_create`` or change it through ``course_update``."""
    data = form.cleaned_data
    slots = timetable.slot_data()
    if form.instance.pk is None:
        return course_create(
            provider=data["provider"],
            location=data["location"],
            course_type=data["course_type"],
            start_date=data["start_date"],
            slots=slots,
            first_module=data.get("first_module"),
            capacity=data.get("capacity") or None,
            teachers=data.get("teachers") or (),
            by=by,
            confirm_plan=bool(data.get("confirm_plan")),
            **{name: data[name] for name in CREATE_FIELDS if name in data},
        )
    changes = {
        name: data[name] for name in form.changed_data if name in UPDATABLE_FIELDS and name in data
    }
    if "teachers" in changes:
        changes["teachers"] = list(changes["teachers"])
    if timetable.has_changed():
        changes["slots"] = slots
    if not changes:
        return form.instance
    return course_update(
        course=form.instance, by=by, confirm_plan=bool(data.get("confirm_plan")), **changes
    )


class CourseAdminForm(forms.ModelForm):
    confirm_plan = forms.BooleanField(
        label=_("Save this plan even though it looks wrong"),
        required=False,
        help_text=_(
            "Asked when the planned end date is far away or the UE a week are unusual; tick it "
            "only after checking the timetable."
        ),
    )

    class Meta:
        model = Course
        fields = (  # the admin's fieldsets narrow this further
            "provider",
            "location",
            "course_type",
            "first_module",
            "title",
            "room",
            "bamf_course_number",
            "status",
            "is_published",
            "start_date",
            "capacity",
            "format",
            "childcare",
            "teachers",
            "waitlist_auto_enrol",
            *DESCRIPTION_TRANSLATIONS,
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The timetable formset checks the whole course through the service; it finds the
        # course form through the shared instance.
        self.instance._admin_form = self
        if "capacity" in self.fields and self.instance.pk is None:
            self.fields["capacity"].required = False
            self.fields["capacity"].initial = None
            self.fields["capacity"].help_text = _(
                "Empty: the course type's group size (25, literacy courses 16)."
            )
        if "first_module" in self.fields and self.instance.pk is None:
            self.fields["first_module"].required = False
            self.fields["first_module"].help_text = _(
                "Empty: the course type's first Kursabschnitt."
            )


class TimetableFormSet(BaseInlineFormSet):
    def slot_data(self) -> list[dict]:
        return [
            {name: form.cleaned_data[name] for name in SLOT_FIELDS}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        course_form = getattr(self.instance, "_admin_form", None)
        if course_form is None or not course_form.is_valid():
            return
        error = dry_run(lambda: save_course(course_form, self, by=None))
        if error is None:
            return
        if isinstance(error, DomainError):
            problems = {error.field or "": [error.message]}
        else:
            problems = getattr(error, "message_dict", {"": error.messages})
        leftover = []
        for field, messages_ in problems.items():
            if field in course_form.fields:
                for message in messages_:
                    course_form.add_error(field, message)
            else:
                leftover.extend(messages_)
        raise ValidationError(
            leftover or gettext("The course was not saved; see the errors above.")
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


# -- sessions -----------------------------------------------------------------------------------
class CancelSessionsForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for cancellation"),
        max_length=200,
        help_text=_("For example: teacher ill, room not available."),
    )


class CourseListFilter(admin.SimpleListFilter):
    """The user's courses, each named in one query (no query per course as in the default)."""

    title = _("course")
    parameter_name = "course"

    def lookups(self, request, model_admin):
        courses = scope_queryset(
            Course.objects.select_related("location", "course_type"), request, "provider"
        ).order_by("start_date", "pk")
        return [(course.pk, str(course)) for course in courses]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(course_id=value) if value and value.isdigit() else queryset


@admin.register(Session)
class SessionAdmin(ProviderScopedAdmin):
    """Sessions are planned by the service; staff view them and cancel them with a reason."""

    provider_path = "course__provider"
    list_display = (
        "date",
        "start_time",
        "end_time",
        "ue",
        "course",
        "module",
        "status",
        "cancel_reason",
    )
    list_filter = ("status", CourseListFilter)
    list_select_related = ("course", "course__location", "course__course_type", "module")
    date_hierarchy = "date"
    search_fields = ("course__title", "course__bamf_course_number")
    actions = ["cancel_sessions"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Cancel selected sessions (asks for a reason)"))
    def cancel_sessions(self, request, queryset):
        form = CancelSessionsForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            return self._cancel(request, queryset, form.cleaned_data["reason"])
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Cancel sessions"),
            "opts": self.model._meta,
            "sessions": queryset.select_related("course", "course__location", "module"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "cancel_sessions",
        }
        return TemplateResponse(request, "admin/lernbruecke/session_cancel.html", context)

    def _cancel(self, request, queryset, reason: str) -> None:
        # Latest first and looked up again by (course, date, start): cancelling re-plans the
        # later sessions of the course, which gives them new rows.
        keys = sorted(
            queryset.filter(status=Session.Status.PLANNED).values_list(
                "course_id", "date", "start_time"
            ),
            key=lambda key: (key[1], key[2]),
            reverse=True,
        )
        cancelled = 0
        for course_id, day, start in keys:
            session = Session.objects.filter(
                course_id=course_id, date=day, start_time=start, status=Session.Status.PLANNED
            ).first()
            if session is None:
                continue
            try:
                session_cancel(session=session, reason=reason, by=request.user)
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                cancelled += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d session cancelled; the course's remaining sessions were planned again.",
                "%(count)d sessions cancelled; the courses' remaining sessions were planned again.",
                cancelled,
            )
            % {"count": cancelled},
            messages.SUCCESS if cancelled else messages.WARNING,
        )
