"""The retention classes in force since the GDPR (and the church laws DSG-EKD and KDG) apply.

A class says how long its records are kept and from which event (the models name their class in
their ``retention`` declaration). A later change of the law is a new migration adding a version
with its own ``valid_from``; this one stays for the record. Each row names its legal source;
the reasoning is in the comments.
"""

from datetime import date

from django.db import migrations

FROM = date(2018, 5, 25)  # GDPR applies; DSG-EKD (2018) and KDG (24.05.2018) alike

CLASSES = [
    # BAMF attendance and billing records (Anwesenheitslisten, Unterschriftenlisten, enrolments,
    # entitlements, final test results): the course provider keeps the billing documents five
    # years after the end of the course. Source: BAMF "Richtlinien für die Abrechnung von
    # Integrationskursen" (AbrRL) with the "Nebenbestimmungen zum Zulassungsbescheid" of the
    # provider's BAMF admission (five-year keeping of billing-relevant documents); the same for
    # Berufssprachkurse (DeuFöV) by the BAMF's billing rules. A legal duty: not shortened by a
    # provider; an erasure request keeps these records, restricted (Art. 17(3)(b) GDPR).
    # The date the period runs from is the end of the course (the declaration's runs_from).
    dict(
        key="attendance_records",
        period=5,
        unit="years",
        legal_duty=True,
        legal_source=(
            "BAMF: Abrechnungsrichtlinien Integrationskurs (AbrRL) und Nebenbestimmungen zur "
            "Trägerzulassung, 5 Jahre nach Kursende; Art. 17 Abs. 3 lit. b DSGVO"
        ),
    ),
    # Placement test papers (Einstufungstest): three years after the end of the year of the test
    # (BAMF's requirement for the placement test documentation, DESIGN.md §2).
    dict(
        key="placement_tests",
        period=3,
        unit="years",
        from_year_end=True,
        legal_duty=True,
        legal_source="BAMF-Vorgaben zum Einstufungstest: 3 Jahre nach Ablauf des Testjahres",
    ),
    # Evidence of excused absences (medical certificates are health data, Art. 9 GDPR): the
    # provider keeps it as proof for the register until the absence is decided (the day
    # signed) and the course section billed (BAMF bills a finished Kursabschnitt); three months
    # after the end of the section cover the claim, then it goes (Art. 5(1)(c) and (e) GDPR).
    dict(
        key="absence_evidence",
        period=3,
        unit="months",
        legal_duty=True,
        legal_source=(
            "BAMF Fehlzeitenkatalog (Nachweise entschuldigter Fehlzeiten beim Träger) bis zur "
            "Abrechnung des Kursabschnitts; Art. 5 Abs. 1 lit. c, e und Art. 9 DSGVO"
        ),
    ),
    # Check-in metadata (device, network address, token data, check-in time): needed only until
    # the teacher signed the day and flagged check-ins were decided; four weeks are ample.
    dict(
        key="checkin_metadata",
        period=4,
        unit="weeks",
        legal_source="Art. 5 Abs. 1 lit. c und e DSGVO (Datenminimierung, Speicherbegrenzung)",
    ),
    dict(
        key="attendance_alerts",
        period=1,
        unit="years",
        legal_source="Art. 5 Abs. 1 lit. e DSGVO",
    ),
    # Registration and contact data: two years after registration, and never before every other
    # record about the learner is gone (the declaration waits for them). A registration can lead
    # to a course within the validity of an entitlement (one year); a second year covers a late
    # start and questions about it.
    dict(
        key="learner_records",
        period=2,
        unit="years",
        legal_source="Art. 5 Abs. 1 lit. e, Art. 17 Abs. 1 lit. a DSGVO",
    ),
    # After an erasure request the learner record stays, restricted, while records with a legal
    # duty stay; without those, only long enough for the Jobcenter's feed to carry the notice
    # that the link ended.
    dict(
        key="erasure_notices",
        period=3,
        unit="months",
        legal_source="Art. 17, Art. 18, Art. 19 DSGVO",
    ),
    dict(
        key="login_codes",
        period=30,
        unit="days",
        legal_source="Art. 5 Abs. 1 lit. e DSGVO",
    ),
    dict(
        key="working_files",
        period=30,
        unit="days",
        legal_source="Art. 5 Abs. 1 lit. e DSGVO",
    ),
    # Copies of issued certificates, so that a certificate presented to an employer or an
    # authority can be verified: as long as the course records they rest on.
    dict(
        key="issued_documents",
        period=5,
        unit="years",
        legal_source="Art. 5 Abs. 1 lit. e DSGVO (Nachweis der Echtheit, wie die Kursunterlagen)",
    ),
    dict(
        key="internship_records",
        period=2,
        unit="years",
        legal_source="Art. 5 Abs. 1 lit. e DSGVO",
    ),
    # The log of what the Jobcenter read: the learner can ask who received their data
    # (Art. 15(1)(c) GDPR) and claim damages for an unlawful disclosure (Art. 82 GDPR); such a
    # claim is time-barred three years after the end of the year in which the learner learned
    # of it (§§ 195, 199 Abs. 1 BGB). The log therefore stays until the end of that period,
    # counted from the end of the year of the read, then it is deleted (Art. 5(1)(e), 5(2)).
    dict(
        key="jobcenter_access_log",
        period=3,
        unit="years",
        from_year_end=True,
        legal_source=(
            "Art. 15 Abs. 1 lit. c, Art. 82 DSGVO; regelmäßige Verjährung §§ 195, 199 Abs. 1 BGB "
            "(3 Jahre ab Jahresende)"
        ),
    ),
    dict(
        key="webhook_deliveries",
        period=3,
        unit="months",
        legal_source="Art. 5 Abs. 1 lit. e DSGVO",
    ),
    # Logins without a role or learner record; the access and audit logs name users, so the
    # account lives as long as the access log may still be asked about.
    dict(
        key="user_accounts",
        period=3,
        unit="years",
        legal_source="Art. 5 Abs. 1 lit. e DSGVO; §§ 195, 199 BGB (Nachweis im Zugriffsprotokoll)",
    ),
    # Contact persons at employers: no fixed period, kept while the cooperation lasts.
    dict(
        key="business_contacts",
        period=None,
        legal_source="Art. 6 Abs. 1 lit. f DSGVO, solange die Zusammenarbeit besteht",
    ),
    dict(
        key="legal_holds",
        period=3,
        unit="years",
        legal_source="Art. 5 Abs. 2 DSGVO (Rechenschaft); §§ 195, 199 BGB",
    ),
    dict(
        key="data_requests",
        period=3,
        unit="years",
        from_year_end=True,
        legal_source="Art. 5 Abs. 2, Art. 12 DSGVO (Nachweis der Beantwortung); §§ 195, 199 BGB",
    ),
    # Volunteers' extended certificate of conduct (erweitertes Führungszeugnis, § 30a BZRG):
    # only the fact of inspection, its date, who inspected and the result are stored, and they
    # are deleted six months after the last activity (the network's rule, DESIGN §8). Where
    # § 72a Abs. 5 SGB VIII applies (work with children and young people) the statute's
    # maximum is three months: such a provider tightens the period with its own
    # ProviderRetentionRule (a provider may only shorten a period).
    dict(
        key="certificate_of_conduct",
        period=6,
        unit="months",
        legal_source="§ 30a BZRG; § 72a Abs. 5 SGB VIII (höchstens 3 Monate bei Kinder- und Jugendarbeit)",
    ),
    # Referrals in the network: after closing, a year for follow-up questions of the person or
    # the receiving provider, then deleted; consent can end them earlier (Art. 7(3) GDPR).
    dict(
        key="referrals",
        period=1,
        unit="years",
        legal_source="Art. 5 Abs. 1 lit. e, Art. 7 Abs. 3 DSGVO",
    ),
    # Accounting records (receipts of own contributions, volunteer allowances): ten years after
    # the end of the calendar year (§ 147 Abs. 1 Nr. 4, Abs. 3 AO; § 257 Abs. 1, 4 HGB).
    dict(
        key="accounting_records",
        period=10,
        unit="years",
        from_year_end=True,
        legal_duty=True,
        legal_source="§ 147 Abs. 1, 3 AO; § 257 Abs. 1, 4 HGB: 10 Jahre ab Ende des Kalenderjahres",
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
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
