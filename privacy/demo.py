"""Demo data protection: each provider's data-protection officer and supervisory authority, a
DPO login for DiakoMigra, a shorter check-in period at one provider and a legal hold (a BAMF
audit of one running DiakoMigra course). The retention classes themselves come with the
migrations. Idempotent: everything is found by its natural key."""

from __future__ import annotations

from datetime import timedelta

from people.demo import demo_user
from people.models import Organisation, Role
from people.services import membership_grant
from privacy.models import LegalHold, PrivacySettings, ProviderRetentionRule

AUTHORITY = {
    Organisation.DataProtectionRegime.DSG_EKD: (
        "Der Beauftragte für den Datenschutz der EKD, Außenstelle Nord, Hamburg"
    ),
    Organisation.DataProtectionRegime.KDG: "Katholisches Datenschutzzentrum Hamburg",
    Organisation.DataProtectionRegime.GDPR: (
        "Unabhängiges Landeszentrum für Datenschutz Schleswig-Holstein, Kiel"
    ),
}

HOLD_REASON = "BAMF-Prüfung der Abrechnung (Prüfungsankündigung der Regionalstelle)"


def seed(ctx) -> None:
    for provider in ctx.providers:
        spec = ctx.specs[provider.pk]
        PrivacySettings.objects.get_or_create(
            provider=provider,
            defaults={
                "dpo_name": f"Datenschutzbeauftragte·r {spec.short_name}",
                "dpo_email": f"datenschutz@{spec.key}.example",
                "supervisory_authority": AUTHORITY[provider.data_protection_regime],
            },
        )
    diakonie = ctx.providers[0]
    dpo = demo_user("dpo-diakonie", "Dana", "Peters", ctx.password_hash)
    membership_grant(user=dpo, organisation=diakonie, role=Role.DATA_PROTECTION_OFFICER)
    if len(ctx.providers) > 1:
        ProviderRetentionRule.objects.get_or_create(
            provider=ctx.providers[1],
            key="checkin_metadata",
            valid_from=ctx.today.replace(month=1, day=1),
            defaults={"period": 2, "unit": "weeks", "note": "Hausinterne Regel: 2 Wochen"},
        )
    running = [c for c in ctx.courses if c.provider_id == diakonie.pk and c.start_date <= ctx.today]
    if running and not LegalHold.objects.filter(provider=diakonie, reason=HOLD_REASON).exists():
        LegalHold.objects.create(
            provider=diakonie,
            course=running[0],
            reason=HOLD_REASON,
            starts_on=ctx.today,
            ends_on=ctx.today + timedelta(days=180),
            created_by=ctx.staff[diakonie.pk],
        )
    ctx.stdout.write(
        f"  privacy: settings for {len(ctx.providers)} providers, "
        f"{LegalHold.objects.count()} legal hold(s); DPO login dpo-diakonie"
    )
