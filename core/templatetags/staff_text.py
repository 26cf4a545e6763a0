"""Text that staff typed, shown inside a page in another language.

Course type and module names, places and course descriptions are written in German. On an
Arabic or Farsi page they are isolated (``<bdi>``) so their left-to-right run neither scrambles
the line around it nor drags the punctuation along, and marked ``lang="de"`` so a screen reader
reads them with a German voice, not an Arabic one."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

register = template.Library()


@register.filter
def german(value: object) -> SafeString | str:
    """``{{ course.course_type.name|german }}``: staff-typed German text, isolated and marked as
    German on a page in any other language."""
    if value in (None, ""):
        return ""
    if (get_language() or "de").split("-")[0] == "de":
        return format_html("{}", value)
    return format_html('<bdi lang="de">{}</bdi>', value)


@register.filter
def isolated(value: object) -> SafeString | str:
    """``{{ learner.last_name|isolated }}``: a name, room or number in a run of its own, so it
    keeps its direction inside a right-to-left line."""
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def localized(instance: object, field: str = "name") -> SafeString | str:
    """``{{ course.course_type|localized:"name" }}``: a translated field (django-modeltranslation)
    in the page's language where one was entered; otherwise its German text, marked as German."""
    value = getattr(instance, field, "")
    language = (get_language() or "de").split("-")[0]
    if language == "de" or value in (None, ""):
        return german(value)
    if getattr(instance, build_localized_fieldname(field, language), None):
        return format_html("<bdi>{}</bdi>", value)
    return german(value)


@register.filter
def text_language(instance: object, field: str = "description") -> str:
    """``<p lang="{{ course|text_language:'description' }}" dir="auto">``: the language a
    translated field is shown in — the page's where one was entered, German where it falls back."""
    language = (get_language() or "de").split("-")[0]
    if language != "de" and getattr(instance, build_localized_fieldname(field, language), None):
        return language
    return "de"
