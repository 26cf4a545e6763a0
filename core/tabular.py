"""Spreadsheet formats of tablib (and so of django-import-export), loaded when first used.

tablib registers its XLSX and YAML formats by dotted path, but django-import-export asks every
format whether it is available when ``import_export.formats.base_formats`` is imported (the
admin imports it at start-up), which imports ``tablib.formats._xlsx`` and with it openpyxl and
numpy: about 0.5 s and 30 MiB in every process, web workers included, for a spreadsheet few
requests ever touch. ``register_lazy_formats()`` registers stand-ins under the same keys through
tablib's public ``registry.register``: they carry the format's title and extensions and import
the real format class at the first import, export or detection.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: tablib key → (library it needs, dotted path of the real format class, title, extensions)
LAZY_FORMATS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "xlsx": ("openpyxl", "tablib.formats._xlsx.XLSXFormat", "xlsx", ("xlsx",)),
    "yaml": ("yaml", "tablib.formats._yaml.YAMLFormat", "yaml", ("yaml", "yml")),
}


class LazyFormat:
    """A tablib format that imports its real class (and its library) on first use."""

    def __init__(self, path: str, title: str, extensions: tuple[str, ...]) -> None:
        self.path = path
        self.title = title
        self.extensions = extensions
        self._real: Any = None

    def load(self) -> Any:
        if self._real is None:
            module, name = self.path.rsplit(".", 1)
            self._real = getattr(import_module(module), name)
        return self._real

    # the calls tablib makes; explicit so that ``hasattr(fmt, "import_set")`` imports nothing
    def export_set(self, *args: Any, **kwargs: Any) -> Any:
        return self.load().export_set(*args, **kwargs)

    def import_set(self, *args: Any, **kwargs: Any) -> Any:
        return self.load().import_set(*args, **kwargs)

    def export_book(self, *args: Any, **kwargs: Any) -> Any:
        return self.load().export_book(*args, **kwargs)

    def import_book(self, *args: Any, **kwargs: Any) -> Any:
        return self.load().import_book(*args, **kwargs)

    def detect(self, *args: Any, **kwargs: Any) -> Any:
        return self.load().detect(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_real":
            raise AttributeError(name)
        return getattr(self.load(), name)

    def __repr__(self) -> str:
        return f"<LazyFormat {self.path}>"


def register_lazy_formats() -> None:
    """Register the lazy stand-ins where their library is installed (tablib's own condition).
    Idempotent; run before ``import_export.formats.base_formats`` is imported."""
    from importlib.util import find_spec

    from tablib.formats import registry

    for key, (library, path, title, extensions) in LAZY_FORMATS.items():
        if find_spec(library):
            registry.register(key, LazyFormat(path, title, extensions))
