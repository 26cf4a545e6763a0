from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnerAreaConfig(AppConfig):
    name = "learner_area"
    verbose_name = _("Learner area")

    def ready(self) -> None:
        from core.navigation import NavItem, register
        from people.models import Role

        def learner(user, roles):
            # Learners hold no roles (a learner may also volunteer: that role does not count);
            # asking only then spares every staff page a query.
            return not (roles - {Role.VOLUNTEER}) and hasattr(user, "learner")

        register(NavItem(_("My page"), "learner-home", 5, learner))
