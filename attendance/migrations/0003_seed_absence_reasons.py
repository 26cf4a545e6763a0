"""The absence-reason catalogue (names translated at display time through the model's msgids)."""

from django.db import migrations

REASONS = [
    # code, English name, default code, illness, order
    ("illness", "Illness", "E", True, 10),
    ("sick_child", "Sick child", "E", False, 20),
    ("authority_appointment", "Appointment with an authority", "E", False, 30),
    ("work", "Work", "E", False, 40),
    ("internship", "Internship", "P", False, 50),
    ("trial_work", "Trial work", "E", False, 60),
    ("family_emergency", "Family emergency", "E", False, 70),
    ("other_excused", "Other (excused)", "E", False, 80),
    ("unexcused", "No reason given", "U", False, 90),
]


def seed(apps, schema_editor):
    AbsenceReason = apps.get_model("attendance", "AbsenceReason")
    for code, name, default_code, illness, order in REASONS:
        AbsenceReason.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "default_code": default_code,
                "is_illness": illness,
                "order": order,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("attendance", "AbsenceReason").objects.filter(
        code__in=[r[0] for r in REASONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("attendance", "0002_register_cards_alerts")]

    operations = [migrations.RunPython(seed, unseed)]
