"""Rule data of volunteer work: requirements per role, the yearly allowance limits, and the
volunteering programme with its course types (trainings and activities run as courses).

Rule data lives in tables with a valid-from date: a later rule change adds new rows with a later
``valid_from`` instead of editing these. Sources are named beside each row.
"""

import datetime
from decimal import Decimal

from django.db import migrations

ALL_ROLES = ["cafe", "homework", "tandem", "events", "lotse"]

# code, valid from, name, kind, roles, validity in months (None: no expiry), source
REQUIREMENTS = [
    (
        "conduct_certificate",
        datetime.date(2012, 1, 1),
        "Erweitertes Führungszeugnis",
        "conduct_certificate",
        ["homework", "tandem"],
        60,
        # § 72a Abs. 1, 3 und 5 SGB VIII (Bundeskinderschutzgesetz, in force 1 January 2012):
        # no one convicted of the listed offences may work with children and young people;
        # for volunteers the provider inspects an extended certificate of conduct (§ 30a BZRG)
        # as agreed with the youth office, and may keep only that it was inspected, the date
        # and whether a relevant conviction is shown. Re-inspection after five years is what
        # the usual § 72a agreements ask. For language buddies of adults the requirement is the
        # provider's own safeguarding rule (one-to-one meetings, often in private homes).
        "§ 72a Abs. 1, 3, 5 SGB VIII; § 30a BZRG; Wiedervorlage nach 5 Jahren "
        "(übliche § 72a-Vereinbarung); für Sprachpatenschaften Schutzkonzept des Trägers",
    ),
    (
        "data_protection_pledge",
        datetime.date(2018, 5, 25),
        "Verpflichtung auf Vertraulichkeit und Datenschutz",
        "pledge",
        ALL_ROLES,
        None,
        # Everyone who sees personal data on the provider's behalf is bound to confidentiality
        # in writing: Art. 5 (1) f, 29 and 32 (4) GDPR (from 25 May 2018); § 26 DSG-EKD;
        # § 5 KDG.
        "Art. 5 Abs. 1 lit. f, Art. 29, Art. 32 Abs. 4 DSGVO; § 26 DSG-EKD; § 5 KDG",
    ),
    (
        "basic_training",
        datetime.date(2018, 1, 1),
        "Basisschulung für Ehrenamtliche",
        "training",
        ["homework", "tandem"],
        None,
        # The provider's own rule: role and limits of volunteering, closeness and distance,
        # protection against violence, where to get help (a short course of the volunteering
        # programme, "volunteer_training").
        "Schutz- und Qualitätskonzept des Trägers",
    ),
    (
        "lotse_qualification",
        datetime.date(2018, 1, 1),
        "Qualifizierung Integrationslots*innen",
        "training",
        ["lotse"],
        None,
        # Integrationslotsen accompany newcomers to offices and services after a qualification
        # (course type "integrationslotsen" below); the curriculum follows the Lower Saxony
        # programme for Integrationslotsen that the MachMit centre in Stade trains for.
        "Qualifizierung nach dem Landesprogramm Integrationslots*innen (Niedersachsen)",
    ),
]

# kind, valid from, yearly limit, source
ALLOWANCE_LIMITS = [
    # § 3 Nr. 26a EStG (Ehrenamtspauschale) and § 3 Nr. 26 EStG (Übungsleiterpauschale):
    # 720 € / 2,400 € from 2013 (Ehrenamtsstärkungsgesetz of 21 March 2013), 840 € / 3,000 €
    # from 2021 (Jahressteuergesetz 2020 of 21 December 2020), 960 € / 3,300 € from 2026
    # (Steueränderungsgesetz 2025).
    ("ehrenamt", datetime.date(2013, 1, 1), Decimal("720.00"), "§ 3 Nr. 26a EStG (Ehrenamtsstärkungsgesetz 2013)"),
    ("ehrenamt", datetime.date(2021, 1, 1), Decimal("840.00"), "§ 3 Nr. 26a EStG (Jahressteuergesetz 2020)"),
    ("ehrenamt", datetime.date(2026, 1, 1), Decimal("960.00"), "§ 3 Nr. 26a EStG (Steueränderungsgesetz 2025)"),
    ("uebungsleiter", datetime.date(2013, 1, 1), Decimal("2400.00"), "§ 3 Nr. 26 EStG (Ehrenamtsstärkungsgesetz 2013)"),
    ("uebungsleiter", datetime.date(2021, 1, 1), Decimal("3000.00"), "§ 3 Nr. 26 EStG (Jahressteuergesetz 2020)"),
    ("uebungsleiter", datetime.date(2026, 1, 1), Decimal("3300.00"), "§ 3 Nr. 26 EStG (Steueränderungsgesetz 2025)"),
]

PROGRAMME = ("volunteering", "Ehrenamt: Schulungen und Angebote", "", 26)
COURSE_TYPE_VALID_FROM = datetime.date(2024, 1, 1)
# code, name, max group, min participants, modules (name, UE)
COURSE_TYPES = [
    # Trainings: the Integrationslotsen qualification (an example curriculum of 40 UE; a
    # provider's own curriculum is a new course type row) and short trainings.
    ("integrationslotsen", "Qualifizierung Integrationslots*innen", 20, 6, [
        ("Rolle, Aufgaben und Grenzen als Lots*in", 8),
        ("Aufenthalt, Sozialleistungen, Behörden: Grundlagen", 12),
        ("Interkulturelle Kommunikation und Gesprächsführung", 8),
        ("Beratungsstellen und Netzwerk vor Ort", 8),
        ("Praxisreflexion und Abschluss", 4),
    ]),
    ("volunteer_training", "Schulung für Ehrenamtliche", 25, 1, [("Schulung", 4)]),
    # Activities beside the courses: each date a session, so volunteers check in by the same
    # session QR. One module holds the dates (its UE are not planned onto a timetable).
    ("volunteer_activity", "Ehrenamtliches Angebot (Sprachcafé, Hausaufgabenhilfe, Veranstaltung)", 25, 1, [
        ("Termine", 100),
    ]),
]


def seed(apps, schema_editor):
    RequirementRule = apps.get_model("volunteers", "RequirementRule")
    AllowanceLimit = apps.get_model("volunteers", "AllowanceLimit")
    Programme = apps.get_model("courses", "Programme")
    CourseType = apps.get_model("courses", "CourseType")
    Module = apps.get_model("courses", "Module")
    for code, valid_from, name, kind, roles, months, source in REQUIREMENTS:
        RequirementRule.objects.get_or_create(
            code=code,
            valid_from=valid_from,
            defaults={"name": name, "kind": kind, "roles": roles, "validity_months": months,
                      "source": source},
        )
    for kind, valid_from, limit, source in ALLOWANCE_LIMITS:
        AllowanceLimit.objects.get_or_create(
            kind=kind, valid_from=valid_from, defaults={"yearly_limit": limit, "source": source}
        )
    code, name, basis, weeks = PROGRAMME
    programme, _ = Programme.objects.get_or_create(
        code=code, defaults={"name": name, "legal_basis": basis, "start_deadline_weeks": weeks}
    )
    for code, name, group, minimum, modules in COURSE_TYPES:
        course_type, created = CourseType.objects.get_or_create(
            code=code,
            valid_from=COURSE_TYPE_VALID_FROM,
            defaults={"programme": programme, "name": name, "max_group_size": group,
                      "min_participants": minimum, "entry_level": "", "target_level": "",
                      "final_exam": ""},
        )
        if created:
            Module.objects.bulk_create(
                Module(course_type=course_type, order=i + 1, name=m_name, kind="language", ue=ue,
                       target_level="")
                for i, (m_name, ue) in enumerate(modules)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0001_initial"),
        ("courses", "0002_seed_rule_data"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
