"""The main navigation, by role: each person sees the places of their work, nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from people.models import Role


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str


def nav_links(user) -> list[NavLink]:
    if not user.is_authenticated:
        return []
    roles = {role for role, _org, _kind in user.role_memberships()}
    links: list[tuple[str, str]] = []
    # Learners hold no roles; asking only then spares every staff page a query.
    if not roles and hasattr(user, "learner"):
        links.append((_("My courses"), "my-courses"))
    if Role.STAFF in roles:
        links += [
            (_("Overview"), "staff-dashboard"),
            (_("Placement tests"), "enrolment-slots"),
            (_("Start watch"), "enrolment-start-watch"),
            (_("Attendance alerts"), "attendance-alerts"),
            (_("Internships"), "internships-home"),
            (_("Certificates"), "certificates-home"),
            (_("Reports"), "reports"),
        ]
    elif Role.NETWORK_VIEWER in roles:
        links += [(_("Network overview"), "network-dashboard"), (_("Reports"), "reports")]
    if Role.TEACHER in roles:
        links.append((_("My teaching"), "teacher-home"))
    if Role.CASEWORKER in roles:
        links.append((_("Client lookup"), "jobcenter-portal"))
    if user.is_staff:
        links.append((_("Administration"), "admin:index"))
    return [NavLink(str(label), reverse(name)) for label, name in links]
