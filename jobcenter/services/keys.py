"""API keys of a Jobcenter: created shown once, stored hashed, revocable."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import PermissionDeniedError
from jobcenter.access import may_manage_jobcenter
from jobcenter.models import (
    JobcenterAPIKey,
)
from jobcenter.services.links import require_jobcenter
from people.models import Organisation, User


@transaction.atomic
def api_key_create(
    *, jobcenter: Organisation, name: str, by: User | None
) -> tuple[JobcenterAPIKey, str]:
    """A new key for the Jobcenter. Returns the key object and the plain key, shown only once

    (only its hash is stored)."""
    require_jobcenter(jobcenter)
    if not may_manage_jobcenter(by, jobcenter):
        raise PermissionDeniedError(
            _("You may not manage keys of this Jobcenter."), code="not_allowed"
        )
    name = (name or "").strip()[:50] or str(jobcenter)[:50]
    key, secret = JobcenterAPIKey.objects.create_key(jobcenter=jobcenter, name=name, created_by=by)
    assert isinstance(key, JobcenterAPIKey)  # the library's manager is typed for its base class
    return key, secret


@transaction.atomic
def api_key_revoke(*, api_key: JobcenterAPIKey, by: User | None) -> JobcenterAPIKey:
    """Revoke a key; the next request with it gets 401 (keys are checked on every request)."""
    api_key = JobcenterAPIKey.objects.select_for_update().get(pk=api_key.pk)
    if not may_manage_jobcenter(by, api_key.jobcenter):
        raise PermissionDeniedError(
            _("You may not manage keys of this Jobcenter."), code="not_allowed"
        )
    if not api_key.revoked:
        api_key.revoked = True
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked", "revoked_at"])
    return api_key
