"""Learner pickers that tell people apart: name, birth date and numbers, and a search box.

"Darwish, Layla" may be three people; the option label adds the birth date, the BAMF number and
what other apps know the learner by (the Jobcenter customer number): each app adds its part with
``register_label_part(fn)`` from its ``AppConfig.ready()`` — ``people`` imports no app above it.
``fn(learner_ids)`` answers ``{learner_id: "text"}`` with one query for the whole list.

The select carries ``data-search``; ``static/js/picker-search.js`` puts a search box above it
that filters the options by any part of the label (name, date, number).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from people.models import Learner

LabelPart = Callable[[list[int]], dict[int, str]]
_parts: dict[str, LabelPart] = {}


def register_label_part(name: str, fn: LabelPart) -> None:
    _parts[name] = fn


def learner_label(learner: Learner, extra: Iterable[str] = ()) -> str:
    bits = [f"{learner.last_name}, {learner.first_name}"]
    if learner.date_of_birth:
        bits.append(f"* {learner.date_of_birth:%d.%m.%Y}")
    if learner.bamf_number:
        bits.append(f"BAMF {learner.bamf_number}")
    bits.extend(e for e in extra if e)
    return " · ".join(bits)


class LearnerSelect(forms.Select):
    def __init__(self, attrs=None, choices=()):
        attrs = {
            "data-search": "1",
            "data-search-label": _("Search by name, birth date or number"),
            **(attrs or {}),
        }
        super().__init__(attrs, choices)


class LearnerChoiceField(forms.ModelChoiceField):
    """A learner picker: labels with birth date and numbers, searchable."""

    widget = LearnerSelect

    def __init__(self, queryset=None, **kwargs):
        kwargs.setdefault("empty_label", _("– choose a learner –"))
        super().__init__(queryset, **kwargs)
        self._extra: dict[int, list[str]] | None = None

    def _set_queryset(self, queryset):
        self._extra = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def label_from_instance(self, obj: Learner) -> str:
        if self._extra is None:
            self._extra = {}
            if _parts and self.queryset is not None:
                ids = list(self.queryset.values_list("pk", flat=True))
                for fn in _parts.values():
                    for pk, text in fn(ids).items():
                        self._extra.setdefault(pk, []).append(text)
        return learner_label(obj, self._extra.get(obj.pk, ()))
