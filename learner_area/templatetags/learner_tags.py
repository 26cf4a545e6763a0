"""Words and icons for the learner pages: every code or state is said in words, never a letter
or an internal name alone."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()


@dataclass(frozen=True)
class Said:
    icon: str
    words: str
    tone: str  # ok, bad, wait, info


#: The register codes (BAMF X/E/U/W/P) and the day states of the learner pages, in words.
STATES = {
    "X": Said("✓", _("present"), "ok"),
    "E": Said("–", _("absent, excused"), "info"),
    "U": Said("✗", _("absent, not excused"), "bad"),
    "W": Said("–", _("absent: you changed course or provider"), "info"),
    "P": Said("✓", _("internship day (counts as present)"), "ok"),
    "pending": Said("✓", _("checked in, counts when your teacher signs the day"), "wait"),
    "reported": Said("…", _("you reported an absence, the office will decide"), "wait"),
    "open": Said("?", _("nothing recorded yet"), "wait"),
}


@register.simple_tag
def said(state: str) -> Said:
    """``{% said day.state as s %}{{ s.icon }} {{ s.words }}``."""
    return STATES.get(state, STATES["open"])


@register.simple_tag
def code_legend() -> list[tuple[str, Said]]:
    return [(code, STATES[code]) for code in ("X", "E", "U", "W", "P")]
