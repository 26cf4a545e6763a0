"""Load the demo data for the Kreis Pinneberg network: ``python manage.py seed_demo``.

Each installed app that has a ``demo.py`` with a ``seed(ctx)`` function seeds its own data, in
the order of ``INSTALLED_APPS`` — which is the order of the one-way imports (people, courses,
enrolment, attendance, …), so an app finds in ``ctx`` what the apps below it created. ``core``
knows no app: it only finds the modules. Every seed must be idempotent (natural keys, fixed
random seeds), so a second run adds nothing.

``ctx`` is a ``types.SimpleNamespace`` that starts with ``today`` (the day the seed treats as
today) and ``stdout`` (for a line of summary); ``people`` adds ``network``, ``providers``,
``specs``, ``locations``, ``jobcenter``, ``caseworker``, ``admin``, ``staff``, ``teachers``,
``learners``, ``learner_user`` and ``password``; ``courses`` adds ``courses``. See each app's
``demo.py``.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class DemoSeed:
    app_label: str
    seed: Callable[[SimpleNamespace], None]


def demo_seeds() -> list[DemoSeed]:
    """Every installed app's ``demo.seed``, in ``INSTALLED_APPS`` order."""
    seeds = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is None:
            continue
        seed = getattr(importlib.import_module(name), "seed", None)
        if seed is not None:
            seeds.append(DemoSeed(config.label, seed))
    return seeds


class Command(BaseCommand):
    help = "Load the Kreis Pinneberg demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--apps",
            nargs="+",
            metavar="APP",
            help="Seed only these apps (by label), e.g. --apps people courses.",
        )

    def handle(self, *args, apps: list[str] | None = None, **options):
        started = time.monotonic()
        ctx = SimpleNamespace(today=timezone.localdate(), stdout=self.stdout)
        for demo in demo_seeds():
            if apps and demo.app_label not in apps:
                continue
            with transaction.atomic():
                demo.seed(ctx)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s.")
        )
