"""The session admin: sessions are planned by the service; staff view them and cancel them with a
reason through ``session_cancel``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from courses.admin.forms import CancelSessionsForm
from courses.models import Course, Session
from courses.services import session_cancel
from people.scoped_admin import ProviderScopedAdmin, scope_queryset


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
