import datetime
from decimal import Decimal

from django.db import migrations


def add_default(apps, schema_editor):
    Rule = apps.get_model("jobcenter", "ParticipationRule")
    Rule.objects.get_or_create(
        jobcenter=None,
        valid_from=datetime.date(2024, 1, 1),
        defaults={"min_rate": Decimal("0.800")},
    )


class Migration(migrations.Migration):
    dependencies = [("jobcenter", "0001_links_keys_feed_log_webhooks")]

    operations = [migrations.RunPython(add_default, migrations.RunPython.noop)]
