"""Spreadsheet formats of tablib (and so of django-import-export), loaded when first used.

tablib registers its XLSX and YAML formats by name and imports them at their first use. But
``import_export.formats.base_formats`` asks every format whether it is available when it is
imported (the admin imports it at start-up), and tablib answers by importing the format, with it
openpyxl and numpy: about 0.5 s and 30 MiB in every process, web workers included, for a
spreadsheet few requests ever touch.

``import_formats_lazily()`` imports ``base_formats`` while stand-ins registered under those keys
(tablib's public ``registry.register``) answer the question, then gives the keys back to tablib's
own registrations (``registry.register_builtins()``, which names formats and imports none). Only
public names of both libraries are used; the real format loads at its first import, export or
detection, as tablib intends.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.util import find_spec


@dataclass(frozen=True)
class ProbeAnswer:
    """A format as django-import-export's availability check sees it: present, named, and not
    imported. Registered only for the duration of that check."""

    title: str
    extensions: tuple[str, ...]


#: tablib key → the library it needs (tablib's own condition) and what the probe is told
SHIELDED_FORMATS: dict[str, tuple[str, ProbeAnswer]] = {
    "xlsx": ("openpyxl", ProbeAnswer("xlsx", ("xlsx",))),
    "yaml": ("yaml", ProbeAnswer("yaml", ("yaml", "yml"))),
}


def import_formats_lazily() -> None:
    """Import ``import_export.formats.base_formats`` without importing openpyxl or PyYAML.
    Run before anything else imports it (a second call finds it imported and does nothing)."""
    import sys

    if "import_export.formats.base_formats" in sys.modules:
        return
    from tablib.formats import registry

    for key, (library, answer) in SHIELDED_FORMATS.items():
        if find_spec(library):
            registry.register(key, answer)
    try:
        import import_export.formats.base_formats  # noqa: F401
    finally:
        registry.register_builtins()
