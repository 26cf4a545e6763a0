"""Course rule data in the admin: programmes, course types and their modules. Readable for
staff, changeable by superusers, who enter the names of course types and modules in German and,
where they wish, in the learners' languages (one field per language)."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationInlineModelAdmin

from courses.models import CourseType, Module, Programme
from people.scoped_admin import RuleDataAdmin, RuleDataInline


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
