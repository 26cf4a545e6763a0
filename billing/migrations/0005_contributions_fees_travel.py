"""Own-contribution reminders, test fees, the travel subsidy (rule, application, figures on the
claim line) — and the seeded travel-subsidy rule.

Sources, and what is NOT in them:
- Travel subsidy (Fahrtkostenzuschuss), IntV § 4a Abs. 1: only for learners exempt from the own
  contribution on the grounds of § 9 Abs. 2 S. 1 Nr. 1/2 (the ``travel_subsidy`` flag of the
  ground); the application must precede the module from which it is paid ("nicht rückwirkend,
  sondern nur ab dem auf den Zeitpunkt der Antragstellung folgenden Kursabschnitt", BAMF FAQ
  "Wie erhalte ich Fahrtkosten zur Teilnahme am Integrationskurs?"), so ``starts`` is
  ``next_module``. Minimum walking distance 5.0 km (same FAQ; until 2023 3 km). A flat amount
  per course day present or excused, at most 2.50 € since the Deutschlandticket (Euro-Schulen,
  4 May 2023, quoting the BAMF): seeded as 2.50 €/day for days coded X, P or E. The valid-from
  date 2024-01-01 is an assumption as in 0002 (a correction is a new row).
- Test fees (placement test, DTZ, LiD): BAMF reimburses them (AbrRL; BAMF page
  "Abrechnungsverfahren": "Prüfungskosten (Einstufungstest, DTZ, Test Leben in Deutschland)"),
  but no source at hand gives the amounts. None is seeded: a superuser enters each fee with its
  source as a ``TestFee`` row before the first claim with tests; until then the claim shows the
  tests with "no fee rule in force".
"""

from datetime import date
from decimal import Decimal


import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models




TRAVEL_FROM = date(2024, 1, 1)  # assumed, see above
TRAVEL = dict(
    amount_per_day=Decimal("2.50"),
    min_distance_km=Decimal("5.0"),
    codes="XPE",
    starts="next_module",
    source=(
        "IntV § 4a Abs. 1; BAMF-FAQ Fahrtkosten (mind. 5,0 km, nicht rückwirkend, ab dem "
        "folgenden Kursabschnitt); Tagespauschale höchstens 2,50 € (Euro-Schulen 04.05.2023)"
    ),
)


def seed(apps, schema_editor):
    Rule = apps.get_model("billing", "TravelSubsidyRule")
    Rule.objects.update_or_create(valid_from=TRAVEL_FROM, defaults=TRAVEL)


def unseed(apps, schema_editor):
    apps.get_model("billing", "TravelSubsidyRule").objects.filter(valid_from=TRAVEL_FROM).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0004_bamf_payments'),
        ('enrolment', '0003_seats_held_counted'),
        ('people', '0006_location_classroom_networks'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='claimline',
            name='travel_days',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='travel subsidy days'),
        ),
        migrations.AddField(
            model_name='claimline',
            name='travel_subsidy',
            field=models.DecimalField(decimal_places=2, default=0, max_digits=8, verbose_name='travel subsidy'),
        ),
        migrations.CreateModel(
            name='TestFee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('placement', 'Placement test'), ('dtz', 'German test for immigrants (DTZ)'), ('lid', 'Life in Germany test')], max_length=20, verbose_name='test')),
                ('valid_from', models.DateField(verbose_name='valid from')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='fee (€)')),
                ('source', models.CharField(max_length=300, verbose_name='source')),
            ],
            options={
                'verbose_name': 'test fee',
                'verbose_name_plural': 'test fees',
                'ordering': ['kind', '-valid_from'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'valid_from'), name='billing_testfee_unique'), models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='billing_testfee_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='TravelSubsidyApplication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('distance_km', models.DecimalField(decimal_places=1, max_digits=5, validators=[django.core.validators.MinValueValidator(0)], verbose_name='walking distance to the course (km)')),
                ('evidence', models.CharField(blank=True, max_length=200, verbose_name='evidence seen')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='recorded at')),
                ('learner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='travel_applications', to='people.learner', verbose_name='learner')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'travel subsidy application',
                'verbose_name_plural': 'travel subsidy applications',
                'ordering': ['-recorded_at'],
            },
        ),
        migrations.CreateModel(
            name='TravelSubsidyRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('valid_from', models.DateField(unique=True, verbose_name='valid from')),
                ('amount_per_day', models.DecimalField(decimal_places=2, max_digits=6, verbose_name='amount per day (€)')),
                ('min_distance_km', models.DecimalField(decimal_places=1, max_digits=5, verbose_name='minimum distance (km)')),
                ('codes', models.CharField(default='XPE', help_text='The days with these register codes count (X present, P internship, E excused).', max_length=10, verbose_name='register codes counted')),
                ('starts', models.CharField(choices=[('next_module', 'from the next module after the application'), ('day', 'from the day the application was recorded')], default='next_module', max_length=12, verbose_name='counted')),
                ('source', models.CharField(max_length=300, verbose_name='source')),
            ],
            options={
                'verbose_name': 'travel subsidy rule',
                'verbose_name_plural': 'travel subsidy rules',
                'ordering': ['-valid_from'],
                'constraints': [models.CheckConstraint(condition=models.Q(('amount_per_day__gte', 0), ('min_distance_km__gte', 0)), name='billing_travel_not_negative')],
            },
        ),
        migrations.AddField(
            model_name='claimline',
            name='travel_rule',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='billing.travelsubsidyrule', verbose_name='travel subsidy rule'),
        ),
        migrations.CreateModel(
            name='ContributionReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('step', models.PositiveSmallIntegerField(verbose_name='reminder step')),
                ('due_on', models.DateField(verbose_name='due on')),
                ('open_amount', models.DecimalField(decimal_places=2, max_digits=8, verbose_name='open amount (€)')),
                ('channel', models.CharField(choices=[('email', 'E-mail'), ('letter', 'Letter (print and post)')], max_length=10, verbose_name='channel')),
                ('language', models.CharField(max_length=10, verbose_name='language')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='reminded at')),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='billing.claim', verbose_name='claim')),
                ('enrolment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='enrolment.enrolment', verbose_name='enrolment')),
            ],
            options={
                'verbose_name': 'own contribution reminder',
                'verbose_name_plural': 'own contribution reminders',
                'ordering': ['-created_at', '-pk'],
                'constraints': [models.UniqueConstraint(fields=('claim', 'enrolment', 'step'), name='billing_reminder_once_per_step')],
            },
        ),
        migrations.CreateModel(
            name='ClaimTestFee',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('placement', 'Placement test'), ('dtz', 'German test for immigrants (DTZ)'), ('lid', 'Life in Germany test')], max_length=20, verbose_name='test')),
                ('learner_name', models.CharField(max_length=201, verbose_name='learner')),
                ('taken_on', models.DateField(verbose_name='taken on')),
                ('amount', models.DecimalField(decimal_places=2, max_digits=7, verbose_name='fee (€)')),
                ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='test_fees', to='billing.claim', verbose_name='claim')),
                ('learner', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='people.learner', verbose_name='learner')),
                ('rule', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='billing.testfee', verbose_name='fee rule')),
            ],
            options={
                'verbose_name': 'test fee on a claim',
                'verbose_name_plural': 'test fees on claims',
                'ordering': ['claim', 'taken_on', 'learner_name'],
                'constraints': [models.UniqueConstraint(fields=('claim', 'kind', 'learner', 'taken_on'), name='billing_claim_testfee_once')],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
