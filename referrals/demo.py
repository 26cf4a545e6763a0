"""Demo referrals: the migration counsellor at Caritas refers clients to DiakoMigra, and the
Jobcenter refers one client it obliges.

- ``counsellor-caritas`` (Teresa Nowak, MBE at Caritas Pinneberg) has sent four referrals to
  DiakoMigra with the clients' consent: one new, one accepted and matched to the learner record
  DiakoMigra already had (the duplicate check), one declined for lack of places, and one that
  has rested for three weeks and is flagged as stalled.
- The Jobcenter's caseworker has referred one obliged client (no consent needed: the obligation
  is the legal basis) for an integration course.

Idempotent: every referral carries a client reference (``MBE-DEMO-…``, ``JC-DEMO-…``) and a
repeat returns the first one.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from people.demo import demo_user
from people.models import Organisation, Role
from people.services import membership_grant
from referrals import services
from referrals.models import Consent, DataItem, DeclineReason, Obligation, Purpose, Referral

COUNSELLOR = "counsellor-caritas"


def _provider(ctx, key: str) -> Organisation:
    return next(p for p in ctx.providers if ctx.specs[p.pk].key == key)


def _consent(*items: str, method: str = Consent.Method.ON_SCREEN) -> services.ConsentInput:
    return services.ConsentInput(items=frozenset({DataItem.IDENTITY, *items}), method=method)


def seed(ctx) -> None:
    caritas, diakomigra = _provider(ctx, "caritas"), _provider(ctx, "diakonie")
    counsellor = demo_user(COUNSELLOR, "Teresa", "Nowak", ctx.password_hash)
    membership_grant(user=counsellor, organisation=caritas, role=Role.COUNSELLOR)
    staff = ctx.staff[diakomigra.pk]
    known = next(
        learner
        for learner in ctx.learners[1:]
        if learner.provider_id == diakomigra.pk and learner.date_of_birth
    )

    def refer(reference: str, **values) -> Referral:
        return services.referral_create(
            sender_organisation=caritas,
            sender=counsellor,
            receiver=diakomigra,
            client_reference=reference,
            **values,
        )

    new = refer(
        "MBE-DEMO-1",
        purpose=Purpose.PLACEMENT_TEST,
        first_name="Yusuf",
        last_name="Darwish",
        date_of_birth=dt.date(1994, 3, 12),
        phone="0176 5550101",
        languages="Arabisch, Kurdisch",
        note="Kann vormittags, zwei Kinder in der Kita.",
        consent=_consent(DataItem.CONTACT, DataItem.LANGUAGES, DataItem.NOTE),
    )
    matched = refer(
        "MBE-DEMO-2",
        purpose=Purpose.COURSE_TYPE,
        course_type_code="general",
        first_name=known.first_name,
        last_name=known.last_name,
        date_of_birth=known.date_of_birth,
        languages=known.native_language,
        consent=_consent(DataItem.LANGUAGES, DataItem.PROGRESS, method=Consent.Method.PAPER),
    )
    if matched.was_created:
        services.referral_accept(referral=matched, by=staff, learner=known)
    declined = refer(
        "MBE-DEMO-3",
        purpose=Purpose.INTERNSHIP,
        first_name="Mariam",
        last_name="Ahmadi",
        date_of_birth=dt.date(1988, 9, 30),
        languages="Dari, Englisch",
        level="B1",
        consent=_consent(DataItem.LANGUAGES, DataItem.LEVEL),
    )
    if declined.was_created:
        services.referral_decline(referral=declined, by=staff, reason=DeclineReason.NO_PLACES)
    stalled = refer(
        "MBE-DEMO-4",
        purpose=Purpose.LANGUAGE_CAFE,
        first_name="Iryna",
        last_name="Melnyk",
        date_of_birth=dt.date(1979, 1, 5),
        email="iryna.melnyk@example.org",
        consent=_consent(DataItem.CONTACT),
    )
    if stalled.was_created:
        three_weeks_ago = timezone.now() - dt.timedelta(days=21)
        Referral.objects.filter(pk=stalled.pk).update(
            sent_at=three_weeks_ago, last_moved_at=three_weeks_ago, stalled_at=timezone.now()
        )
    obliged = services.referral_create(
        sender_organisation=ctx.jobcenter,
        sender=ctx.caseworker,
        receiver=diakomigra,
        client_reference="JC-DEMO-1",
        purpose=Purpose.COURSE_TYPE,
        course_type_code="general",
        first_name="Ahmad",
        last_name="Nasser",
        date_of_birth=dt.date(1991, 6, 21),
        phone="0152 5550199",
        languages="Arabisch",
        obligation=Obligation.JOBCENTER,
        customer_number="123D900001",
        consent=None,
    )
    # the person confirms on their phone: pending until then (the code is printed once)
    pending = refer(
        "MBE-DEMO-5",
        purpose=Purpose.PLACEMENT_TEST,
        first_name="Samira",
        last_name="Karimi",
        date_of_birth=dt.date(1997, 11, 2),
        phone="0157 5550123",
        languages="Farsi, Englisch",
        consent=_consent(DataItem.CONTACT, DataItem.LANGUAGES, method=Consent.Method.LOGIN_CODE),
    )
    created = sum(r.was_created for r in (new, matched, declined, stalled, obliged, pending))
    ctx.stdout.write(
        f"  referrals: {created} new (Caritas → DiakoMigra, Jobcenter → DiakoMigra); "
        f"login {COUNSELLOR}"
        + (
            f"; consent code for /referrals/confirm/: {pending.consent_code}"
            if pending.consent_code
            else ""
        )
    )
