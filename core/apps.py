from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.tabular import import_formats_lazily

# Before any app's ready(): the admin's autodiscovery (the first ready()) imports
# django-import-export, which would otherwise load openpyxl and numpy in every process.
import_formats_lazily()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib import admin
        from django.db.models import fields

        from core import checks  # noqa: F401  (registers the deploy checks)
        from core.dashboard import register as register_tiles
        from core.navigation import NavItem, register

        # Django 6.1's empty choice ("- Select an option -") has no German in Django's own
        # catalogue yet; ours has it. The admin is titled for the project, not "Django".
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")
        admin.site.site_header = admin.site.site_title = _("Lernbrücke administration")
        admin.site.index_title = _("Overview")

        register(
            NavItem(_("Administration"), "admin:index", 100, lambda user, roles: user.is_staff)
        )
        register_tiles("core.schedule", _stale_jobs_tile)


def _stale_jobs_tile(*, user, provider_ids, today):
    """A warning tile for administrators when a recurring job has not run for a day (one query);
    usually the scheduler process is not running."""
    if not user.is_staff:
        return []
    from django.urls import reverse

    from core.dashboard import Tile
    from core.schedule import stale_jobs

    stale = stale_jobs()
    if not stale:
        return []
    return [
        Tile(
            str(_("scheduled jobs that have not run for a day")),
            len(stale),
            reverse("admin:core_scheduledjob_changelist"),
            warn=True,
        )
    ]
