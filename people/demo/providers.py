"""The network's providers as they are: names, BAMF numbers, data-protection regimes with their
legal-basis texts, locations (real towns, invented streets), staff and teachers."""

from __future__ import annotations

from dataclasses import dataclass

from people.models import Organisation

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
