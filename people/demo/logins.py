"""Demo logins: one password for all, the users found or created by username, the list of logins
the seed prints."""

from __future__ import annotations

from people.models import User

PASSWORD = "demo-pass-2026"


def demo_user(username: str, first: str, last: str, password_hash: str, **extra) -> User:
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@lernbruecke.example",
            "password": password_hash,
            **extra,
        },
    )
    return user


DEMO_LOGINS = (
    ("admin", "superuser: the whole admin"),
    ("staff-diakonie", "staff of DiakoMigra (admin, staff pages)"),
    ("staff-caritas", "staff of Caritas"),
    ("teacher-diakonie", "teacher at DiakoMigra"),
    ("caseworker-jobcenter", "caseworker of Jobcenter Kreis Pinneberg"),
    ("learner-demo", "learner Amal Haddad at DiakoMigra"),
)
