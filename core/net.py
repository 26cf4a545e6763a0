"""Outgoing requests go to public addresses only (no server-side request forgery).

A URL that a client registers (a webhook) is checked when it is registered and again before every
request, after DNS resolution, so a name later re-pointed at 127.0.0.1 or 169.254.169.254 is
caught. What this does not prevent: a name that resolves to a public address at the check and to
a private one a moment later (DNS rebinding inside the same second); the window is one request.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
LOCAL_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


@dataclass(frozen=True, slots=True)
class TargetProblem:
    """Why a URL may not be called: ``code`` is stable (``https_required``, ``unresolvable``,
    ``blocked_address``), ``address`` the offending address if any."""

    code: str
    address: str = ""


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the name resolves to (IP literals resolve to themselves)."""
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast: not loopback, private, link-local, shared, reserved, multicast."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def target_problem(url: str, *, allow_local_http: bool = False) -> TargetProblem | None:
    """``None`` when ``url`` is an https URL whose host resolves to public addresses only.

    ``allow_local_http`` (tests and development only) admits http and https to this machine
    (``127.0.0.1``, ``localhost``, ``::1``), for a receiver started next to the app.
    """
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return TargetProblem("https_required")
    if not parts.hostname or parts.scheme not in ("https", "http"):
        return TargetProblem("https_required")
    if allow_local_http and parts.hostname in LOCAL_NAMES:
        return None
    if parts.scheme != "https":
        return TargetProblem("https_required")
    try:
        addresses = resolve(parts.hostname, port or 443)
    except (OSError, UnicodeError, ValueError):
        return TargetProblem("unresolvable")
    for address in addresses:
        if not is_public(address):
            return TargetProblem("blocked_address", str(address))
    return None if addresses else TargetProblem("unresolvable")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a redirect answers as its own HTTP status, never followed to another host


def opener() -> urllib.request.OpenerDirector:
    """An opener that follows no redirect (a redirect could lead to an internal address)."""
    return urllib.request.build_opener(_NoRedirect)


def failure_category(exc: BaseException) -> str:
    """A request failure as a category (never the raw text, which would describe the network)."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"http_{exc.code}"
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timeout"
    if isinstance(reason, ConnectionRefusedError):
        return "refused"
    if isinstance(reason, (ssl.SSLError, ssl.CertificateError)):
        return "tls"
    if isinstance(reason, socket.gaierror):
        return "unresolvable"
    return "network"
