"""Load the demo data for the Kreis Pinneberg network: ``python manage.py seed_demo``.

Idempotent: every object is found by a natural key before it is created, and random choices come
from a fixed seed, so a second run adds nothing. The base data (``core.demo.seed_base``): one
network, the Jobcenter with a caseworker, five providers with 13 locations, staff and 2–3
teachers each, about 40 courses (created through ``courses.services.course_create``, so their
sessions are planned) and 600 learners with entitlements or obligations.

Afterwards each app's optional ``<app>/demo.py`` is imported and its ``seed(ctx)`` called, in
this order: enrolment, attendance, internships, certificates, jobcenter, reports (an app without
``demo.py`` is skipped). ``seed(ctx)`` must be idempotent too. ``ctx`` is a
``types.SimpleNamespace`` with:

- ``network``: ``people.Network``
- ``providers``: ``list[Organisation]`` (5 providers; ``providers[0]`` is DiakoMigra)
- ``locations``: ``dict[Organisation, list[Location]]`` (provider → its locations)
- ``jobcenter``: ``Organisation`` (kind Jobcenter); ``caseworker``: ``User`` (its caseworker)
- ``admin``: the superuser
- ``staff``: ``dict[int, User]`` (provider pk → the provider's staff user)
- ``teachers``: ``dict[int, list[User]]`` (provider pk → teachers; first one is teacher-<key>)
- ``courses``: ``list[Course]`` (all demo courses; statuses running, open, planned)
- ``learners``: ``list[Learner]`` (120 per provider, in provider order; ``learners[0]`` has the
  ``learner-demo`` login)
- ``learner_user``: ``User`` of ``learner-demo``
- ``password``: the shared demo password; ``today``: ``date`` the seed treats as today
- ``stdout``: the command's output stream (for a line of summary)
"""

from __future__ import annotations

import importlib
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from core.demo import DEMO_LOGINS, PASSWORD, seed_base
from courses.models import Course, Session
from people.models import Learner, Location, Organisation, User

DEMO_APPS = ("enrolment", "attendance", "internships", "certificates", "jobcenter", "reports")


def load_app_seed(app: str):
    """``<app>.demo.seed`` or None when the app has no demo module."""
    try:
        module = importlib.import_module(f"{app}.demo")
    except ModuleNotFoundError as exc:
        if exc.name in {app, f"{app}.demo"}:
            return None
        raise
    return getattr(module, "seed", None)


class Command(BaseCommand):
    help = "Load the Kreis Pinneberg demo data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-only",
            action="store_true",
            help="Only the people and courses base data; skip the apps' demo.py seeds.",
        )

    def handle(self, *args, base_only: bool = False, **options):
        started = time.monotonic()
        ctx = seed_base()
        ctx.stdout = self.stdout
        if not base_only:
            for app in DEMO_APPS:
                seed = load_app_seed(app)
                if seed is None:
                    continue
                with transaction.atomic():
                    seed(ctx)
                self.stdout.write(f"  {app}: demo data loaded")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready in {time.monotonic() - started:.1f} s: "
                f"{Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).count()} providers, "
                f"{Location.objects.count()} locations, {Course.objects.count()} courses, "
                f"{Session.objects.count()} sessions, {Learner.objects.count()} learners, "
                f"{User.objects.count()} users."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {PASSWORD}):")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<22} {role}")
