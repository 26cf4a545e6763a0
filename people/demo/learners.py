"""The providers' demo learners: generated as a whole list from a fixed seed per provider (the
same list on every run), only the missing ones inserted (``bulk_create``), each with one
entitlement or obligation in the network's usual mix."""

from __future__ import annotations

import random
from datetime import date, timedelta

from people.demo.providers import JOBCENTER_NAME, ProviderSpec
from people.models import Entitlement, Learner, TimeOfDay

SEED = 2026
LEARNERS_PER_PROVIDER = 120

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


def learner_specs(provider_index: int, spec: ProviderSpec, today: date) -> list[dict]:
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


def seed_learners(provider, index, spec, jobcenter, today) -> list[Learner]:
    specs = learner_specs(index, spec, today)
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
