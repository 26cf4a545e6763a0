"""API-key authentication, permission and throttle for Jobcenter clients.

``Authorization: Api-Key <prefix>.<secret>``; keys are stored hashed (djangorestframework-api-key)
and checked on every request, so a revoked key fails at once with 401.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from jobcenter.models import JobcenterAPIKey

KEYWORD = "Api-Key"


@dataclass(frozen=True)
class JobcenterClient:
    """The caller of the Jobcenter API: a Jobcenter acting through one of its keys."""

    jobcenter_id: int
    api_key_id: str
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_active: bool = True
    is_superuser: bool = False
    is_staff: bool = False
    pk: None = None

    def provider_ids(self, **kwargs) -> list[int]:
        return []

    def jobcenter_ids(self) -> list[int]:
        return [self.jobcenter_id]


def usable_key(prefix: str) -> JobcenterAPIKey | None:
    """The newest usable (not revoked) key with this prefix, read on every request so that a
    revoked key fails at once."""
    return (
        JobcenterAPIKey.objects.get_usable_keys()
        .filter(prefix=prefix)
        .order_by("-created")
        .only("id", "prefix", "hashed_key", "jobcenter_id", "expiry_date", "revoked")
        .first()
    )


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid API key header."))
        key = header[1].decode(errors="replace")
        prefix = key.partition(".")[0][:20]
        request._request.jobcenter_key_prefix = prefix
        api_key = usable_key(prefix)
        if api_key is None or api_key.has_expired or not api_key.is_valid(key):
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        client = JobcenterClient(jobcenter_id=api_key.jobcenter_id, api_key_id=api_key.pk)
        request._request.jobcenter_client = client
        return client, api_key

    def authenticate_header(self, request) -> str:
        return KEYWORD


class IsJobcenterClient(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, JobcenterClient)


class JobcenterThrottle(SimpleRateThrottle):
    """Requests per Jobcenter (all its keys together); the rate is ``jobcenter`` in settings.

    A burst of up to ``num_requests``, then one more every ``duration / num_requests``
    (generic cell rate algorithm): the cache holds one timestamp per Jobcenter, where DRF's
    sliding window stores and re-pickles the time of every request in the window.
    """

    scope = "jobcenter"
    _wait: float | None = None

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = self.timer()
        interval = self.duration / self.num_requests
        due = max(self.cache.get(self.key, now), now)  # when the allowance is whole again
        backlog = due - now
        if backlog > self.duration - interval:
            self._wait = backlog - (self.duration - interval)
            return False
        self.cache.set(self.key, due + interval, self.duration)
        return True

    def wait(self) -> float | None:
        return self._wait

    def get_cache_key(self, request, view):
        client = request.user
        if not isinstance(client, JobcenterClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.jobcenter_id}


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "jobcenter.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>`",
        }
