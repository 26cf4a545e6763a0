"""Languages volunteers speak and learners bring, and how a learner's first language (free text
on the learner record, usually German: "Arabisch", "Dari") is read as a language code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """Languages of migration work in Germany (ISO 639-1 where one exists)."""

    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")
    ARABIC = "ar", _("Arabic")
    PERSIAN = "fa", _("Persian (Farsi, Dari)")
    PASHTO = "ps", _("Pashto")
    KURDISH = "ku", _("Kurdish")
    TIGRINYA = "ti", _("Tigrinya")
    SOMALI = "so", _("Somali")
    AMHARIC = "am", _("Amharic")
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    TURKISH = "tr", _("Turkish")
    POLISH = "pl", _("Polish")
    ROMANIAN = "ro", _("Romanian")
    BULGARIAN = "bg", _("Bulgarian")
    ALBANIAN = "sq", _("Albanian")
    SERBO_CROATIAN = "sh", _("Bosnian, Croatian, Serbian")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    ITALIAN = "it", _("Italian")
    GREEK = "el", _("Greek")
    HINDI = "hi", _("Hindi")
    URDU = "ur", _("Urdu")
    VIETNAMESE = "vi", _("Vietnamese")


class LanguageLevel(models.TextChoices):
    """How well a volunteer speaks a language: CEFR levels, or their first language."""

    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    NATIVE = "native", _("first language")


#: Names a learner record may give its first language in (German and English, lower case).
_NAMES = {
    "de": ("deutsch", "german"),
    "en": ("englisch", "english"),
    "ar": ("arabisch", "arabic"),
    "fa": ("persisch", "farsi", "dari", "persian", "afghanisch"),
    "ps": ("paschtu", "paschto", "pashto", "pashtu"),
    "ku": ("kurdisch", "kurdish", "kurmanci", "kurmandschi", "sorani"),
    "ti": ("tigrinya", "tigrinisch"),
    "so": ("somali", "somalisch"),
    "am": ("amharisch", "amharic"),
    "uk": ("ukrainisch", "ukrainian"),
    "ru": ("russisch", "russian"),
    "tr": ("türkisch", "turkish"),
    "pl": ("polnisch", "polish"),
    "ro": ("rumänisch", "romanian"),
    "bg": ("bulgarisch", "bulgarian"),
    "sq": ("albanisch", "albanian"),
    "sh": ("serbisch", "kroatisch", "bosnisch", "serbian", "croatian", "bosnian"),
    "fr": ("französisch", "french"),
    "es": ("spanisch", "spanish"),
    "it": ("italienisch", "italian"),
    "el": ("griechisch", "greek"),
    "hi": ("hindi",),
    "ur": ("urdu",),
    "vi": ("vietnamesisch", "vietnamese"),
}
_BY_NAME = {name: code for code, names in _NAMES.items() for name in names}


def language_code_for(text: str) -> str | None:
    """The code of a language named in free text ("Arabisch", "Dari", "ar"), or None."""
    value = (text or "").strip().lower()
    if not value:
        return None
    if value in Language.values:
        return value
    return _BY_NAME.get(value)


def language_label(code: str) -> str:
    return str(Language(code).label) if code in Language.values else code
