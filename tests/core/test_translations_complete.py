"""A language offered is complete: every learner-facing string is translated in every language
the switcher offers, none is a fuzzy guess.

Learner-facing strings are those of the learner area and the site-wide templates, and every
string of another app that has an Arabic translation: Arabic was the first learner language and
its catalogues were written for exactly the learners' pages, e-mails and PDFs. Staff pages are
German (and English, the msgids)."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
#: Apps whose whole catalogue is learner-facing, whatever Arabic says (and the site-wide one).
LEARNER_CATALOGUES = {"learner_area"}


def catalogue_dirs() -> list[Path]:
    return sorted(p.parent.parent.parent for p in ROOT.glob("*/ar/LC_MESSAGES/django.po")) + sorted(
        p.parent.parent.parent for p in ROOT.glob("*/locale/ar/LC_MESSAGES/django.po")
    )


def learner_facing(locale_dir: Path) -> list[polib.POEntry]:
    arabic = polib.pofile(str(locale_dir / "ar" / "LC_MESSAGES" / "django.po"))
    whole = locale_dir.parent.name in LEARNER_CATALOGUES or locale_dir.parent == ROOT
    return [
        e
        for e in arabic
        if not e.obsolete and (whole or (e.translated() and "fuzzy" not in e.flags))
    ]


OFFERED = [code for code in settings.UI_LANGUAGES if code != "en"]  # msgids are English


def test_every_language_of_the_switcher_is_a_language_we_record():
    assert set(settings.UI_LANGUAGES) == {code for code, _name in settings.LANGUAGES}


@pytest.mark.parametrize("language", OFFERED)
def test_every_learner_facing_string_is_translated(language):
    missing = []
    for locale_dir in catalogue_dirs():
        path = locale_dir / language / "LC_MESSAGES" / "django.po"
        wanted = learner_facing(locale_dir)
        if not wanted:
            continue
        assert path.exists(), f"{path.relative_to(ROOT)} is missing"
        catalogue = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if not e.obsolete}
        for entry in wanted:
            found = catalogue.get((entry.msgctxt, entry.msgid))
            if found is None or not found.translated() or "fuzzy" in found.flags:
                missing.append(f"{path.relative_to(ROOT)}: {entry.msgid[:70]!r}")
    assert missing == [], f"{len(missing)} untranslated:\n" + "\n".join(missing[:40])


@pytest.mark.parametrize("language", OFFERED)
def test_compiled_catalogues_are_current(language):
    """A .mo older than its .po serves yesterday's translations."""
    stale = [
        str(po.relative_to(ROOT))
        for po in ROOT.glob(f"**/locale/{language}/LC_MESSAGES/django.po")
        if ".venv" not in po.parts
        and (
            not po.with_suffix(".mo").exists()
            or len(polib.mofile(str(po.with_suffix(".mo"))).translated_entries())
            != len(
                [e for e in polib.pofile(str(po)).translated_entries() if "fuzzy" not in e.flags]
            )
        )
    ]
    assert stale == []
