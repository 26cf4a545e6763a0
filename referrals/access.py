"""The doors of referrals: one for the sender's side, one for the receiver's. Anybody else, a
provider not party to it, another counsellor, another Jobcenter, gets 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from people.models import Network, Organisation, Role, User
from referrals import selectors
from referrals.models import Referral

if TYPE_CHECKING:
    from referrals.reports import Scope


def sender_organisation_for(*, user: User) -> Organisation:
    """The organisation the user refers for: a provider where they counsel, else their
    Jobcenter; 403 for users who refer for nobody."""
    ids = user.provider_ids(role=Role.COUNSELLOR) or user.jobcenter_ids()
    if not ids:
        raise PermissionDenied
    return Organisation.objects.get(pk=sorted(ids)[0])


def may_refer(user: User) -> bool:
    return bool(user.provider_ids(role=Role.COUNSELLOR) or user.jobcenter_ids())


def referral_for_sender(*, user: User, pk: int) -> Referral:
    return get_object_or_404(selectors.sent_by(user).prefetch_related("consents"), pk=pk)


def receiving_provider_ids(*, user: User) -> list[int]:
    ids = user.provider_ids(role=Role.STAFF)
    if not ids:
        raise PermissionDenied
    return ids


def referral_for_receiver(*, user: User, pk: int) -> Referral:
    return get_object_or_404(selectors.inbox(receiving_provider_ids(user=user)), pk=pk)


def report_scope(*, user: User, wanted: str | None = None) -> Scope:
    """Whose referrals the reports count: the staff's own providers, or, for network viewers
    and coordinators (``wanted == "network"``, or when they are nobody's staff), every
    organisation of their network(s). 403 for users with neither."""
    from referrals.reports import Scope

    staff = sorted(user.provider_ids(role=Role.STAFF))
    network_orgs = user.organisation_ids(role=Role.NETWORK_VIEWER) + user.organisation_ids(
        role=Role.NETWORK_COORDINATOR
    )
    networks = list(
        Network.objects.filter(organisations__in=network_orgs).distinct().order_by("name")
    )
    if networks and (wanted == "network" or not staff):
        members = Organisation.objects.filter(network__in=networks)
        providers = members.filter(kind=Organisation.Kind.PROVIDER).values_list("pk", flat=True)
        return Scope(
            receiver_ids=tuple(sorted(providers)),
            sender_ids=tuple(sorted(members.values_list("pk", flat=True))),
            network=", ".join(n.name for n in networks),
        )
    if not staff:
        raise PermissionDenied
    return Scope(receiver_ids=tuple(staff), sender_ids=tuple(staff))


def may_see_network_reports(user: User) -> bool:
    ids = user.organisation_ids(role=Role.NETWORK_VIEWER) + user.organisation_ids(
        role=Role.NETWORK_COORDINATOR
    )
    return Organisation.objects.filter(pk__in=ids, network__isnull=False).exists()
