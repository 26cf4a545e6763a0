from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib import admin
        from django.db.models import fields

        from core.navigation import NavItem, register

        # Django 6.1's empty choice ("- Select an option -") has no German in Django's own
        # catalogue yet; ours has it. The admin is titled for the project, not "Django".
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")
        admin.site.site_header = admin.site.site_title = _("Lernbrücke administration")
        admin.site.index_title = _("Overview")

        register(
            NavItem(_("Administration"), "admin:index", 100, lambda user, roles: user.is_staff)
        )
