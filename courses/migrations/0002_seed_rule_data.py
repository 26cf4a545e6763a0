"""Programmes, course types and modules as the rules stand (IntV, DeuFöV; Job-Turbo 2024).

Rule data lives in tables with a valid-from date: a later rule change adds new rows with a
later ``valid_from`` instead of editing these.
"""

import datetime

from django.db import migrations

VALID_FROM = datetime.date(2024, 1, 1)
INTEGRATION_LEVELS = ["A1.1", "A1.2", "A2.1", "A2.2", "B1.1", "B1.2"]


def language_modules(count, levels):
    levels = [""] * (count - len(levels)) + levels
    return [(f"Kursabschnitt {i + 1}", "language", 100, levels[i]) for i in range(count)]


ORIENTATION = [("Orientierungskurs", "orientation", 100, "")]

PROGRAMMES = [
    ("integration", "Integrationskurs", "IntV", 6),
    ("bsk", "Berufssprachkurs", "DeuFöV", 4),
]

COURSE_TYPES = [
    # programme, code, name, max group, min participants, entry, target, exam, modules
    ("integration", "general", "Allgemeiner Integrationskurs", 25, 1, "", "B1", "DTZ, Leben in Deutschland",
     language_modules(6, INTEGRATION_LEVELS) + ORIENTATION),
    ("integration", "literacy", "Integrationskurs mit Alphabetisierung", 16, 1, "", "B1", "DTZ, Leben in Deutschland",
     language_modules(9, INTEGRATION_LEVELS) + ORIENTATION),
    ("integration", "second_script", "Zweitschriftlernerkurs", 25, 1, "", "B1", "DTZ, Leben in Deutschland",
     language_modules(9, INTEGRATION_LEVELS) + ORIENTATION),
    ("integration", "intensive", "Intensivkurs", 25, 1, "", "B1", "DTZ, Leben in Deutschland",
     [("Kursabschnitt 1", "language", 100, "A1"), ("Kursabschnitt 2", "language", 100, "A2"),
      ("Kursabschnitt 3", "language", 100, "B1.1"), ("Kursabschnitt 4", "language", 100, "B1.2")] + ORIENTATION),
    ("integration", "foerder", "Förderkurs", 25, 1, "", "B1", "DTZ, Leben in Deutschland",
     language_modules(9, INTEGRATION_LEVELS) + ORIENTATION),
    ("bsk", "bsk_b2", "Berufssprachkurs B1 → B2", 25, 15, "B1", "B2", "DTB B2",
     [(f"Lernabschnitt {i}", "language", 100, "B2" if i == 4 else "") for i in range(1, 5)]),
    ("bsk", "bsk_c1", "Berufssprachkurs B2 → C1", 25, 15, "B2", "C1", "DTB C1",
     [(f"Lernabschnitt {i}", "language", 100, "C1" if i == 4 else "") for i in range(1, 5)]),
    ("bsk", "bsk_a2_b1", "Berufssprachkurs A2 → B1 (Spezialmodul)", 25, 15, "A2", "B1", "DTZ",
     [(f"Lernabschnitt {i}", "language", 100, "B1" if i == 4 else "") for i in range(1, 5)]),
    ("bsk", "job_bsk", "Job-Berufssprachkurs (Job-Turbo)", 25, 3, "A2", "B1", "",
     [("Job-BSK", "language", 150, "")]),
]


def seed(apps, schema_editor):
    Programme = apps.get_model("courses", "Programme")
    CourseType = apps.get_model("courses", "CourseType")
    Module = apps.get_model("courses", "Module")
    programmes = {}
    for code, name, basis, weeks in PROGRAMMES:
        programmes[code], _ = Programme.objects.get_or_create(
            code=code, defaults={"name": name, "legal_basis": basis, "start_deadline_weeks": weeks}
        )
    for prog, code, name, group, minimum, entry, target, exam, modules in COURSE_TYPES:
        course_type, created = CourseType.objects.get_or_create(
            code=code, valid_from=VALID_FROM,
            defaults={
                "programme": programmes[prog], "name": name, "max_group_size": group,
                "min_participants": minimum, "entry_level": entry, "target_level": target, "final_exam": exam,
            },
        )
        if created:
            Module.objects.bulk_create(
                Module(course_type=course_type, order=i + 1, name=m_name, kind=kind, ue=ue, target_level=level)
                for i, (m_name, kind, ue, level) in enumerate(modules)
            )


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
