"""Seed the billing rule data: BAMF reimbursement per UE, the learner's own contribution per UE,
which register codes are billable, and the grounds of exemption from the own contribution.

Sources, and what is NOT in them:
- The provider texts in ``shared/context`` give no rates at all.
- Reimbursement 4.58 € per UE per learner: the figure of issue 19 ("for example 4.58 € per
  UE"); no group-size tiers are seeded because no tier figures are known (a tier is a row with
  ``min_group_size``/``max_group_size`` and the same ``valid_from``). To be checked against the
  BAMF's current Kostenerstattungssatz (Integrationskursverordnung § 20 Abs. 6 with the BAMF's
  announcement of the rate) before the first real claim.
- Own contribution 2.29 € per UE: DESIGN.md § 8 and issue 19 (IntV § 9 Abs. 1: half of the
  reimbursement rate, which 2.29 = 4.58 / 2 matches); counted on the UE held while the learner
  was enrolled in the module.
- The valid-from date 2024-01-01 of both figures is an assumption (no source names it): a later
  correction is a new row with the right date, not an edit of this one.
- Billable codes: DESIGN.md § 2 (the register codes) and issue 19 ("X and P count, E within the
  rules, U and W do not"). X and P count the UE the register shows attended, E the whole day's
  UE; U (unexcused) and W (change of course or provider) are not billed.
- Exemption grounds: Bürgergeld (SGB II), social assistance (SGB XII), asylum seekers'
  benefits (AsylbLG) from DESIGN.md § 2 and issue 19; undue hardship (exemption on application,
  IntV § 9 Abs. 2) as "others as data". The travel subsidy has no figure in any source and is
  not seeded.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

FROM = date(2024, 1, 1)  # assumed, see above
ISSUE = "Issue 19 (Beispielwert), nicht in den Quellen; vor der ersten Abrechnung prüfen"

RATES = [dict(min_group_size=1, max_group_size=None, amount=Decimal("4.58"), source=ISSUE)]
CONTRIBUTIONS = [
    dict(
        amount=Decimal("2.29"),
        basis="held",
        source="DESIGN.md § 8, Issue 19; IntV § 9 Abs. 1 (Hälfte des Kostenerstattungssatzes)",
    )
]
CODES = [
    ("X", True, "attended"),
    ("P", True, "attended"),
    ("E", True, "day"),
    ("U", False, "attended"),
    ("W", False, "attended"),
]
CODE_SOURCE = "DESIGN.md § 2 (Anwesenheitsliste), Issue 19: X und P zählen, E zählt, U und W nicht"
GROUNDS = [
    ("buergergeld", "Bürgergeld (SGB II)", "IntV § 9 Abs. 2; DESIGN.md § 2; Issue 19"),
    ("social_assistance", "Sozialhilfe (SGB XII)", "IntV § 9 Abs. 2; DESIGN.md § 2; Issue 19"),
    (
        "asylum_benefits",
        "Leistungen nach dem AsylbLG",
        "DESIGN.md § 2; Issue 19 (Asylbewerberleistungen)",
    ),
    (
        "hardship",
        "Unzumutbare Härte (Befreiung auf Antrag durch das BAMF)",
        "IntV § 9 Abs. 2; Issue 19 (\"and others as data\")",
    ),
]


def seed(apps, schema_editor):
    Rate = apps.get_model("billing", "ReimbursementRate")
    Contribution = apps.get_model("billing", "OwnContribution")
    Code = apps.get_model("billing", "BillableCode")
    Ground = apps.get_model("billing", "ExemptionGround")
    for row in RATES:
        Rate.objects.update_or_create(
            programme=None, valid_from=FROM, min_group_size=row["min_group_size"], defaults=row
        )
    for row in CONTRIBUTIONS:
        Contribution.objects.update_or_create(valid_from=FROM, defaults=row)
    for code, billable, basis in CODES:
        Code.objects.update_or_create(
            code=code,
            valid_from=FROM,
            defaults=dict(billable=billable, basis=basis, source=CODE_SOURCE),
        )
    for code, name, source in GROUNDS:
        Ground.objects.update_or_create(
            code=code, valid_from=FROM, defaults=dict(name=name, source=source)
        )


def unseed(apps, schema_editor):
    for model in ("ReimbursementRate", "OwnContribution", "BillableCode", "ExemptionGround"):
        apps.get_model("billing", model).objects.filter(valid_from=FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_rules_and_claims")]

    operations = [migrations.RunPython(seed, unseed)]
