"""Demo people for the Kreis Pinneberg county network: the network, the Jobcenter with a
caseworker, five providers with 13 locations, staff and teachers, 600 learners with entitlements
or obligations, and a login per role.

Everything is keyed by a natural key (organisation name + kind, location name per provider,
username, BAMF participant number per provider) and generated from a fixed random seed, so
running the seed again adds nothing. Learners are generated as a whole list first and only the
missing ones are inserted (``bulk_create``). Organisations and towns are real (the cooperation
agreement of 2023: five providers, 13 locations, the Jobcenter); street addresses and people are
invented.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from people.demo.directory import seed_directory
from people.demo.learners import seed_learners
from people.demo.logins import DEMO_LOGINS, PASSWORD, demo_user
from people.demo.providers import (
    JOBCENTER_NAME,
    LEGAL_BASIS,
    NETWORK_NAME,
    PROVIDERS,
    ProviderSpec,
)
from people.models import Learner, Location, Network, Organisation, Role
from people.services import membership_grant

__all__ = [
    "DEMO_LOGINS",
    "JOBCENTER_NAME",
    "NETWORK_NAME",
    "PASSWORD",
    "PROVIDERS",
    "ProviderSpec",
    "demo_user",
    "seed",
]


def seed(ctx) -> None:
    """Create (or find) the network's people; fill ``ctx`` for the apps seeded after this one."""
    today = ctx.today
    password_hash = make_password(PASSWORD)  # hashed once: hashing is slow on purpose
    network, _ = Network.objects.get_or_create(name=NETWORK_NAME)
    jobcenter, _ = Organisation.objects.get_or_create(
        name=JOBCENTER_NAME,
        kind=Organisation.Kind.JOBCENTER,
        defaults={
            "short_name": "Jobcenter Pinneberg",
            "network": network,
            "email": "jobcenter-kreis-pinneberg@jobcenter-ge.example",
            "phone": "04101 0000-0",
        },
    )
    admin = demo_user(
        "admin", "Admin", "Lernbrücke", password_hash, is_staff=True, is_superuser=True
    )
    caseworker = demo_user("caseworker-jobcenter", "Ute", "Beckmann", password_hash)
    membership_grant(user=caseworker, organisation=jobcenter, role=Role.CASEWORKER)
    # The Jobcenter's own IT administers its keys, webhooks and access log (the admin site).
    jobcenter_admin = demo_user("jobcenter-admin", "Jens", "Albers", password_hash, is_staff=True)
    membership_grant(user=jobcenter_admin, organisation=jobcenter, role=Role.JOBCENTER_ADMIN)
    ctx.network = network
    ctx.jobcenter = jobcenter
    ctx.caseworker = caseworker
    ctx.admin = admin
    ctx.password = PASSWORD
    ctx.password_hash = password_hash
    ctx.providers, ctx.specs, ctx.locations = [], {}, {}
    ctx.staff, ctx.teachers, ctx.learners = {}, {}, []
    for index, spec in enumerate(PROVIDERS):
        provider, _ = Organisation.objects.get_or_create(
            name=spec.name,
            kind=Organisation.Kind.PROVIDER,
            defaults={
                "short_name": spec.short_name,
                "network": network,
                "bamf_provider_number": spec.bamf_number,
                "data_protection_regime": spec.regime,
                "legal_basis_text": LEGAL_BASIS[spec.regime],
                "email": spec.email,
                "phone": spec.phone,
            },
        )
        locations = []
        for name, street, postcode, town, step_free in spec.locations:
            location, _ = Location.objects.get_or_create(
                organisation=provider,
                name=name,
                defaults={
                    "street": street,
                    "postcode": postcode,
                    "town": town,
                    "state": "SH",
                    "step_free": step_free,
                },
            )
            locations.append(location)
        staff = demo_user(f"staff-{spec.key}", *spec.staff, password_hash)
        membership_grant(user=staff, organisation=provider, role=Role.STAFF)
        teachers = []
        for n, (first, last) in enumerate(spec.teachers):
            suffix = "" if n == 0 else f"-{n + 1}"
            teacher = demo_user(f"teacher-{spec.key}{suffix}", first, last, password_hash)
            membership_grant(user=teacher, organisation=provider, role=Role.TEACHER)
            teachers.append(teacher)
        ctx.providers.append(provider)
        ctx.specs[provider.pk] = spec
        ctx.locations[provider] = locations
        ctx.staff[provider.pk] = staff
        ctx.teachers[provider.pk] = teachers
        ctx.learners.extend(seed_learners(provider, index, spec, jobcenter, today))

    filled = seed_directory([loc for locations in ctx.locations.values() for loc in locations])

    learner = ctx.learners[0]  # Amal Haddad at DiakoMigra
    learner_user = demo_user(
        "learner-demo",
        learner.first_name,
        learner.last_name,
        password_hash,
        preferred_language=learner.preferred_language,
    )
    if learner.user_id is None:
        Learner.objects.filter(pk=learner.pk, user__isnull=True).update(user=learner_user)
        learner.user = learner_user
    ctx.learner_user = learner_user
    ctx.stdout.write(
        f"  people: {len(ctx.providers)} providers, "
        f"{sum(len(v) for v in ctx.locations.values())} locations, "
        f"{len(ctx.learners)} learners; {filled} network directory entries filled"
    )
    ctx.stdout.write(f"  demo logins (password for all: {PASSWORD}):")
    for username, role in DEMO_LOGINS:
        ctx.stdout.write(f"    {username:<22} {role}")
