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

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password

from people.directory_demo import seed_directory
from people.models import (
    Entitlement,
    Learner,
    Location,
    Network,
    Organisation,
    Role,
    TimeOfDay,
    User,
)
from people.services import membership_grant

PASSWORD = "demo-pass-2026"
SEED = 2026
LEARNERS_PER_PROVIDER = 120
NETWORK_NAME = "Migrationsnetzwerk Kreis Pinneberg"
JOBCENTER_NAME = "Jobcenter Kreis Pinneberg"

LEGAL_BASIS = {
    Organisation.DataProtectionRegime.DSG_EKD: (
        "Wir verarbeiten Ihre Daten nach dem Kirchengesetz über den Datenschutz der EKD "
        "(DSG-EKD), § 6 Nr. 3 und 5, um Ihren Kurs zu organisieren und mit dem BAMF "
        "abzurechnen. An das Jobcenter geben wir nur, was das Gesetz verlangt oder Sie erlaubt "
        "haben."
    ),
    Organisation.DataProtectionRegime.KDG: (
        "Wir verarbeiten Ihre Daten nach dem Gesetz über den Kirchlichen Datenschutz (KDG), "
        "§ 6 Abs. 1 lit. c und d, um Ihren Kurs zu organisieren und mit dem BAMF abzurechnen."
    ),
    Organisation.DataProtectionRegime.GDPR: (
        "Wir verarbeiten Ihre Daten nach Art. 6 Abs. 1 lit. b und c DSGVO, um Ihren Kurs zu "
        "organisieren und mit dem BAMF abzurechnen."
    ),
}


@dataclass(frozen=True)
class ProviderSpec:
    key: str  # used in logins: staff-<key>, teacher-<key>
    name: str
    short_name: str
    regime: str
    bamf_number: str
    email: str
    phone: str
    locations: tuple[
        tuple[str, str, str, str, bool], ...
    ]  # name, street, postcode, town, step-free
    teachers: tuple[tuple[str, str], ...]
    staff: tuple[str, str]


PROVIDERS = (
    ProviderSpec(
        "diakonie",
        "Diakonie Hamburg-West/Südholstein – Migrationsdienste (DiakoMigra)",
        "DiakoMigra",
        Organisation.DataProtectionRegime.DSG_EKD,
        "3PI-0451",
        "kurse@diakomigra.example",
        "04101 50000-0",
        (
            ("Migrationszentrum Pinneberg", "Bahnhofstraße 18", "25421", "Pinneberg", True),
            ("Lernhaus Wedel", "Rosengarten 5", "22880", "Wedel", True),
            ("Gemeindehaus Quickborn", "Kirchenstraße 10", "25451", "Quickborn", False),
            ("Treffpunkt Halstenbek", "Gustavstraße 4", "25469", "Halstenbek", True),
        ),
        (("Katrin", "Brandt"), ("Jonas", "Petersen"), ("Miriam", "Schulte")),
        ("Anke", "Lorenzen"),
    ),
    ProviderSpec(
        "rantzau",
        "Diakonisches Werk Rantzau-Münsterdorf",
        "DW Rantzau-Münsterdorf",
        Organisation.DataProtectionRegime.DSG_EKD,
        "3EL-0217",
        "integration@dw-rantzau.example",
        "04121 4000-0",
        (
            ("Diakonie-Zentrum Elmshorn", "Koppeldamm 12", "25335", "Elmshorn", True),
            ("Familienzentrum Barmstedt", "Reichenstraße 21", "25355", "Barmstedt", False),
            ("Kursraum Uetersen", "Großer Sand 30", "25436", "Uetersen", True),
        ),
        (("Heike", "Rathjen"), ("Tobias", "Claußen")),
        ("Sönke", "Hansen"),
    ),
    ProviderSpec(
        "caritas",
        "Caritas in Schleswig-Holstein – Migrationsdienste Kreis Pinneberg",
        "Caritas",
        Organisation.DataProtectionRegime.KDG,
        "3PI-0388",
        "migration-pinneberg@caritas-sh.example",
        "04101 7000-0",
        (
            ("Caritas-Haus Pinneberg", "Fahltskamp 2", "25421", "Pinneberg", True),
            ("Bildungsraum Schenefeld", "Kiebitzweg 8", "22869", "Schenefeld", True),
        ),
        (("Agnieszka", "Wolff"), ("Markus", "Heinrich")),
        ("Teresa", "Albers"),
    ),
    ProviderSpec(
        "einwandererbund",
        "Einwandererbund e. V.",
        "Einwandererbund",
        Organisation.DataProtectionRegime.GDPR,
        "3PI-0512",
        "kurse@einwandererbund.example",
        "04101 6000-0",
        (
            ("Geschäftsstelle Pinneberg", "Damm 42", "25421", "Pinneberg", False),
            ("Begegnungsstätte Rellingen", "Hauptstraße 55", "25462", "Rellingen", True),
        ),
        (("Derya", "Aksoy"), ("Florian", "Kühl")),
        ("Serkan", "Yıldız"),
    ),
    ProviderSpec(
        "vhs",
        "Volkshochschule Elmshorn",
        "VHS Elmshorn",
        Organisation.DataProtectionRegime.GDPR,
        "3EL-0099",
        "deutsch@vhs-elmshorn.example",
        "04121 2300-0",
        (
            ("VHS-Haus Elmshorn", "Bismarckstraße 9", "25335", "Elmshorn", True),
            ("VHS-Außenstelle Tornesch", "Ahrenloher Straße 3", "25436", "Tornesch", True),
        ),
        (("Birte", "Jessen"), ("Carsten", "Lüders"), ("Leyla", "Demir")),
        ("Ute", "Thomsen"),
    ),
)


# nationality, preferred language, first language, weight, male names, female names, surnames
ORIGINS = (
    (
        "SY",
        "ar",
        "Arabisch",
        20,
        ("Mohammad", "Ahmad", "Omar", "Khaled", "Yousef", "Hassan", "Mahmoud", "Bilal"),
        ("Fatima", "Aya", "Rama", "Noor", "Layla", "Hiba", "Rasha", "Amal"),
        ("Al-Hassan", "Haddad", "Khalil", "Nasser", "Mansour", "Darwish", "Alhamoud", "Kassem"),
    ),
    (
        "IQ",
        "ar",
        "Arabisch",
        7,
        ("Karim", "Haider", "Mustafa", "Zaid"),
        ("Zainab", "Maryam", "Shahad", "Rusul"),
        ("Al-Tamimi", "Jabbar", "Kadhim", "Hussein"),
    ),
    (
        "AF",
        "fa",
        "Dari",
        14,
        ("Farid", "Jawad", "Habib", "Naser", "Sohrab", "Wahid"),
        ("Mariam", "Zahra", "Fereshta", "Shabnam", "Nilofar", "Parwana"),
        ("Ahmadi", "Hashimi", "Rahimi", "Sultani", "Karimi", "Noori", "Haidari"),
    ),
    (
        "IR",
        "fa",
        "Persisch",
        5,
        ("Reza", "Mehdi", "Arash", "Saeed"),
        ("Shirin", "Parisa", "Neda", "Sara"),
        ("Mohammadi", "Hosseini", "Rezaei", "Moradi"),
    ),
    (
        "UA",
        "uk",
        "Ukrainisch",
        18,
        ("Oleksandr", "Andrii", "Dmytro", "Serhii", "Mykola"),
        ("Olena", "Iryna", "Tetiana", "Nataliia", "Oksana", "Yuliia"),
        ("Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boiko"),
    ),
    (
        "TR",
        "tr",
        "Türkisch",
        10,
        ("Mehmet", "Emre", "Burak", "Hakan", "Murat"),
        ("Ayşe", "Elif", "Zeynep", "Emine", "Fatma"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Arslan"),
    ),
    (
        "RU",
        "ru",
        "Russisch",
        6,
        ("Sergei", "Alexei", "Dmitri", "Ivan"),
        ("Anna", "Elena", "Olga", "Svetlana"),
        ("Lebedew", "Popow", "Wolkow", "Sokolow", "Morozow"),
    ),
    (
        "ER",
        "en",
        "Tigrinya",
        7,
        ("Yonas", "Dawit", "Samuel", "Tesfay", "Filmon"),
        ("Helen", "Selam", "Senait", "Lidya"),
        ("Tesfamariam", "Gebremedhin", "Haile", "Kidane", "Berhane", "Woldu"),
    ),
    (
        "PL",
        "de",
        "Polnisch",
        3,
        ("Piotr", "Tomasz", "Marek"),
        ("Agnieszka", "Katarzyna", "Magdalena"),
        ("Nowak", "Kowalczyk", "Wiśniewski"),
    ),
    (
        "RO",
        "de",
        "Rumänisch",
        3,
        ("Andrei", "Marius", "Ionuț"),
        ("Ioana", "Andreea", "Elena"),
        ("Popescu", "Ionescu", "Dumitru"),
    ),
    (
        "NG",
        "en",
        "Englisch",
        3,
        ("Chinedu", "Emeka", "Tunde"),
        ("Ngozi", "Adaeze", "Funmilayo"),
        ("Okafor", "Eze", "Adeyemi"),
    ),
    (
        "IN",
        "en",
        "Hindi",
        4,
        ("Arjun", "Rahul", "Vikram"),
        ("Priya", "Ananya", "Deepa"),
        ("Sharma", "Patel", "Singh"),
    ),
)
TOWNS = (
    ("25421", "Pinneberg"),
    ("25335", "Elmshorn"),
    ("22880", "Wedel"),
    ("25436", "Uetersen"),
    ("25451", "Quickborn"),
    ("25469", "Halstenbek"),
    ("25462", "Rellingen"),
    ("25355", "Barmstedt"),
    ("22869", "Schenefeld"),
    ("25436", "Tornesch"),
)
STREETS = (
    "Am Markt",
    "Lindenweg",
    "Feldstraße",
    "Mühlenstraße",
    "Schulstraße",
    "Birkenallee",
    "Gartenstraße",
    "Kirchenweg",
    "Rosenstraße",
    "Friedrichstraße",
)
TIMES = (
    [TimeOfDay.MORNING],
    [TimeOfDay.AFTERNOON],
    [TimeOfDay.EVENING],
    [TimeOfDay.MORNING, TimeOfDay.AFTERNOON],
    [TimeOfDay.AFTERNOON, TimeOfDay.EVENING],
)
# kind, authority, authority name, weight
ENTITLEMENT_MIX = (
    (Entitlement.Kind.ENTITLEMENT, Entitlement.Authority.BAMF, "", 38),
    (Entitlement.Kind.ADMISSION, Entitlement.Authority.BAMF, "", 8),
    (
        Entitlement.Kind.OBLIGATION,
        Entitlement.Authority.IMMIGRATION_OFFICE,
        "Ausländerbehörde Kreis Pinneberg",
        22,
    ),
    (Entitlement.Kind.OBLIGATION, Entitlement.Authority.JOBCENTER, JOBCENTER_NAME, 26),
    (
        Entitlement.Kind.OBLIGATION,
        Entitlement.Authority.ASYLUM_BENEFITS_OFFICE,
        "Sozialamt Kreis Pinneberg (AsylbLG)",
        6,
    ),
)


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


def _learner_specs(provider_index: int, spec: ProviderSpec, today: date) -> list[dict]:
    """The provider's demo learners, the same list on every run (seeded per provider)."""
    rng = random.Random(f"{SEED}-{spec.key}")
    weights = [o[3] for o in ORIGINS]
    specs = []
    for n in range(LEARNERS_PER_PROVIDER):
        nationality, language, native, _w, men, women, surnames = rng.choices(ORIGINS, weights)[0]
        female = rng.random() < 0.55
        if provider_index == 0 and n == 0:  # the demo learner login: Amal Haddad, Arabic
            nationality, language, native, female = "SY", "ar", "Arabisch", True
            first, last = "Amal", "Haddad"
        else:
            first = rng.choice(women if female else men)
            last = rng.choice(surnames)
        postcode, town = rng.choice(TOWNS)
        specs.append(
            {
                "first_name": first,
                "last_name": last,
                "gender": Learner.Gender.FEMALE if female else Learner.Gender.MALE,
                "date_of_birth": date(1962, 1, 1) + timedelta(days=rng.randrange(0, 42 * 365)),
                "nationality": nationality,
                "country_of_birth": nationality,
                "native_language": native,
                "preferred_language": language,
                "bamf_number": f"{spec.bamf_number.replace('-', '')}{n + 1:05d}",
                "street": f"{rng.choice(STREETS)} {rng.randrange(1, 80)}",
                "postcode": postcode,
                "town": town,
                "phone": f"0176 {rng.randrange(1000000, 9999999)}",
                "email": (
                    f"{first.lower().replace(' ', '')}.{n}@mail.example"
                    if rng.random() < 0.5
                    else ""
                ),
                "childcare_needed": rng.random() < 0.15,
                "available_times": list(rng.choice(TIMES)),
                "fee_exempt": rng.random() < 0.6,
                "registered_on": today - timedelta(days=rng.randrange(0, 240)),
                "_entitlement": rng.choices(ENTITLEMENT_MIX, [e[3] for e in ENTITLEMENT_MIX])[0],
                "_issued_before": rng.randrange(5, 60),
            }
        )
    return specs


def _seed_learners(provider, index, spec, jobcenter, today) -> list[Learner]:
    specs = _learner_specs(index, spec, today)
    existing = set(
        Learner.objects.filter(
            provider=provider, bamf_number__in=[s["bamf_number"] for s in specs]
        ).values_list("bamf_number", flat=True)
    )
    Learner.objects.bulk_create(
        Learner(provider=provider, **{k: v for k, v in s.items() if not k.startswith("_")})
        for s in specs
        if s["bamf_number"] not in existing
    )
    by_number = {
        learner.bamf_number: learner
        for learner in Learner.objects.filter(
            provider=provider, bamf_number__in=[s["bamf_number"] for s in specs]
        )
    }
    without = set(
        Learner.objects.filter(
            pk__in=[x.pk for x in by_number.values()], entitlements=None
        ).values_list("pk", flat=True)
    )
    entitlements = []
    for s in specs:
        learner = by_number[s["bamf_number"]]
        if learner.pk not in without:
            continue
        kind, authority, authority_name, _w = s["_entitlement"]
        issued = s["registered_on"] - timedelta(days=s["_issued_before"])
        entitlements.append(
            Entitlement(
                learner=learner,
                kind=kind,
                authority=authority,
                authority_name=authority_name,
                jobcenter=jobcenter if authority == Entitlement.Authority.JOBCENTER else None,
                reference=f"{s['bamf_number']}-{kind[:1].upper()}",
                issued_on=issued,
                expires_on=issued + timedelta(days=365)
                if kind != Entitlement.Kind.OBLIGATION
                else None,
            )
        )
    Entitlement.objects.bulk_create(entitlements)
    return [by_number[s["bamf_number"]] for s in specs]


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
        ctx.learners.extend(_seed_learners(provider, index, spec, jobcenter, today))

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


DEMO_LOGINS = (
    ("admin", "superuser: the whole admin"),
    ("staff-diakonie", "staff of DiakoMigra (admin, staff pages)"),
    ("staff-caritas", "staff of Caritas"),
    ("teacher-diakonie", "teacher at DiakoMigra"),
    ("caseworker-jobcenter", "caseworker of Jobcenter Kreis Pinneberg"),
    ("learner-demo", "learner Amal Haddad at DiakoMigra"),
)
