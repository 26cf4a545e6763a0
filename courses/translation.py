"""Translated names of course types and modules (django-modeltranslation): the learner reads
"Integrationskurs" and "Kursabschnitt 3" in their own language where an administrator entered a
translation, and the German name otherwise (marked as German on the page, see core.staff_text).
German stays in the original column, so every report and export reads German as before."""

from modeltranslation.translator import TranslationOptions, register

from courses.models import CourseType, Module


@register(CourseType)
class CourseTypeTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = {"default": ("de",)}


@register(Module)
class ModuleTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = {"default": ("de",)}
