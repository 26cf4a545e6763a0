"""Translated names of course types and modules and translated course descriptions
(django-modeltranslation): the learner reads "Integrationskurs", "Kursabschnitt 3" and the
provider's description in their own language where one was entered, and German otherwise
(marked as German on the page, see core.staff_text). German stays in the original column, so
every report and export reads German as before."""

from modeltranslation.translator import TranslationOptions, register

from courses.models import Course, CourseType, Module


@register(CourseType)
class CourseTypeTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = {"default": ("de",)}


@register(Module)
class ModuleTranslation(TranslationOptions):
    fields = ("name",)
    fallback_languages = {"default": ("de",)}


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ("description",)
    fallback_languages = {"default": ("de",)}
