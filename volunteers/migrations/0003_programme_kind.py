"""The volunteering programme is of kind "volunteering": its activities and trainings run as
courses, but occupancy, free seats and the catalogue's course types leave them out."""

from django.db import migrations


def mark(apps, schema_editor):
    Programme = apps.get_model("courses", "Programme")
    Programme.objects.filter(code="volunteering").update(kind="volunteering")


def unmark(apps, schema_editor):
    Programme = apps.get_model("courses", "Programme")
    Programme.objects.filter(code="volunteering").update(kind="courses")


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0002_rule_data"),
        ("courses", "0005_programme_kind"),
    ]

    operations = [migrations.RunPython(mark, unmark)]
