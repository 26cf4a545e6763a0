from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from datetime import time

        from core import schedule
        from referrals import receivers
        from referrals.tasks import referrals_daily

        receivers.connect()
        schedule.register("referrals.stalled", referrals_daily, schedule.Daily(time(6, 30)))

        from core.dashboard import register as register_tiles
        from core.navigation import NavItem
        from core.navigation import register as register_nav
        from people.models import Role

        def sender(user, roles):
            return bool(roles & {Role.COUNSELLOR, Role.CASEWORKER})

        def staff(user, roles):
            return Role.STAFF in roles

        def network(user, roles):
            """Network viewers and coordinators who are nobody's staff reach the network's
            referral figures here (staff through their inbox)."""
            wanted = {Role.NETWORK_VIEWER, Role.NETWORK_COORDINATOR}
            return bool(roles & wanted) and Role.STAFF not in roles

        register_nav(
            NavItem(_("Referrals"), "referrals-list", 91, sender),
            NavItem(_("Referrals received"), "referrals-inbox", 25, staff),
            NavItem(_("Directory entries"), "directory-locations", 26, staff),
            NavItem(_("Referral reports"), "referrals-reports", 92, network),
        )
        register_tiles("referrals", _dashboard_tiles)

        from auditlog.registry import auditlog

        from referrals import models

        auditlog.register(models.Referral)
        auditlog.register(models.Consent)


def _dashboard_tiles(*, user, provider_ids, today):
    """New and stalled referrals received by the dashboard's providers (one query)."""
    from django.urls import reverse

    from core.dashboard import Tile
    from referrals.selectors import tile_counts

    if not provider_ids:
        return []
    url = reverse("referrals-inbox")
    new, stalled = tile_counts(provider_ids)
    return [
        Tile(str(_("new referrals received")), new, url),
        Tile(str(_("stalled referrals")), stalled, url + "?stalled=1", warn=True),
    ]
