"""The retention declarations of every model of the project, in the order the job works them.

A model of the project's own apps (not Django's, not a library's) declares in its own class body
``retention = Retention(...)`` (or a tuple) or ``personal_data = False`` (``core.retention``).
The job reads them here; ``tests/privacy`` fails on a model that declares nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.db import models

from core.retention import Retention, declarations


@dataclass(frozen=True)
class Declared:
    """One declaration of one model."""

    model: type[models.Model]
    retention: Retention

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def owner(self) -> type[models.Model] | None:
        """The model whose rows these follow (``follows``), if any."""
        if not self.retention.follows:
            return None
        return self.model._meta.get_field(self.retention.follows).related_model

    @property
    def own_period(self) -> bool:
        """Rows with a period of their own (not following an owner, not kept by hand)."""
        return self.retention.follows is None and self.retention.runs_from is not None


def project_app_configs() -> list[AppConfig]:
    """The project's own apps: the top-level folders of this repository (not Django's, not a
    library's, even when the virtual environment lives inside the repository)."""
    base = Path(settings.BASE_DIR).resolve()
    return [c for c in apps.get_app_configs() if Path(c.path).resolve().parent == base]


def project_models() -> list[type[models.Model]]:
    return [m for config in project_app_configs() for m in config.get_models()]


@cache
def all_declared() -> tuple[Declared, ...]:
    """Every declaration, rows that point at others first (children before parents), so that
    a row is gone or anonymised before the row it depends on is looked at."""
    by_model = {m: declarations(m) for m in project_models() if declarations(m)}
    graph: dict[type[models.Model], set[type[models.Model]]] = {m: set() for m in by_model}
    for model in by_model:
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            forward = (field.many_to_one or field.one_to_one) and field.concrete
            if forward and target in graph and target is not model:
                graph[target].add(model)  # the pointing model comes first
    order = list(TopologicalSorter(graph).static_order())
    return tuple(Declared(m, r) for m in order for r in by_model[m])


@cache
def primary_models() -> dict[type[models.Model], Declared]:
    """Each model's first declaration: it decides the rows' fate; later ones clear some fields
    earlier or cover part of the rows."""
    first: dict[type[models.Model], Declared] = {}
    for d in all_declared():
        first.setdefault(d.model, d)
    return first


def is_primary(d: Declared) -> bool:
    return primary_models()[d.model] == d


def followers_of(model: type[models.Model]) -> list[Declared]:
    return [d for d in all_declared() if d.owner is model]


def about_learners() -> list[Declared]:
    """Declarations whose rows are about a learner (with the path to them)."""
    return [d for d in all_declared() if d.retention.learner is not None]
