"""The doors of referrals: one for the sender's side, one for the receiver's. Anybody else, a
provider not party to it, another counsellor, another Jobcenter, gets 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from people.models import Organisation, Role, User
from referrals import selectors
from referrals.models import Referral


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
