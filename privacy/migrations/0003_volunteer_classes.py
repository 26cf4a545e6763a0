"""Retention classes of volunteer work (the volunteers app): the volunteer's records and the
hours they worked. The certificate of conduct (``certificate_of_conduct``) and the allowance
payments (``accounting_records``) have their classes already (0002).
"""

from datetime import date

from django.db import migrations

FROM = date(2018, 5, 25)  # as the classes of 0002

CLASSES = [
    # The volunteer's profile (contact, languages, times, requirements met), their tandems and
    # the proofs issued: kept while they volunteer; three years after the end of the year in
    # which the volunteering (or the tandem, or a declined application) ended, for questions
    # about it — references, insurance and liability claims, which are time-barred three years
    # after the end of the year they arose (§§ 195, 199 Abs. 1 BGB) — then deleted (Art. 5(1)(e)
    # GDPR). A tandem's consent record is kept as long as the tandem (Art. 7(1) GDPR: the
    # controller shows the consent it relies on).
    dict(
        key="volunteer_records",
        period=3,
        unit="years",
        from_year_end=True,
        legal_source=(
            "Art. 5 Abs. 1 lit. e, Art. 7 Abs. 1 DSGVO; §§ 195, 199 Abs. 1 BGB: 3 Jahre ab Ende "
            "des Jahres, in dem das Engagement endete"
        ),
    ),
    # Hours worked (shifts checked in, tandem meetings, other hours) and learners' sign-ups for
    # a date: the basis of the yearly proof of volunteering, which a volunteer may ask for years
    # later; three years after the end of the year of the day, as the records above.
    dict(
        key="volunteer_hours",
        period=3,
        unit="years",
        from_year_end=True,
        legal_source=(
            "Art. 5 Abs. 1 lit. e DSGVO; §§ 195, 199 Abs. 1 BGB: 3 Jahre ab Ende des Jahres des "
            "Einsatzes (Grundlage des Ehrenamtsnachweises)"
        ),
    ),
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for row in CLASSES:
        values = {"unit": "years", "from_year_end": False, "legal_duty": False, **row}
        key = values.pop("key")
        RetentionRule.objects.update_or_create(key=key, valid_from=FROM, defaults=values)


def unseed(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    RetentionRule.objects.filter(valid_from=FROM, key__in=[c["key"] for c in CLASSES]).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_retention_classes")]

    operations = [migrations.RunPython(seed, unseed)]
