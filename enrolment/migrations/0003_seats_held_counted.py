"""Count the seats every existing course holds (enrolled learners plus open offers) into the
course's new ``seats_held``, which the enrolment services keep from now on."""

from django.db import migrations
from django.db.models import Count, Q

HELD = ("enrolled", "offered")


def count_seats(apps, schema_editor):
    Course = apps.get_model("courses", "Course")
    for course in Course.objects.annotate(
        held=Count("enrolments", filter=Q(enrolments__status__in=HELD))
    ).filter(held__gt=0):
        Course.objects.filter(pk=course.pk).update(seats_held=course.held)


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0002_placement_waitlist_logincodes"),
        ("courses", "0003_course_seats_held"),
    ]

    operations = [migrations.RunPython(count_seats, migrations.RunPython.noop)]
