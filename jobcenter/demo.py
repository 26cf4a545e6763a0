"""Demo data: the Jobcenter's links to its obliged clients, a few consents, a rule, an API key.

Idempotent: a learner that already has an open link to the Jobcenter is skipped; the API key
is created (and printed, once) only when the Jobcenter has no usable demo key yet.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jobcenter import services
from jobcenter.models import (
    AccessLogEntry,
    AccessLogRecord,
    ConsentScope,
    JobcenterAPIKey,
    JobcenterLink,
    ParticipationRule,
)
from jobcenter.selectors import LearnerRecord
from people.models import Entitlement


def customer_number(learner) -> str:
    return f"123D{learner.pk:06d}"


def seed(ctx) -> None:
    jobcenter, today = ctx.jobcenter, ctx.today
    ParticipationRule.objects.get_or_create(
        jobcenter=jobcenter,
        valid_from=dt.date(2024, 1, 1),
        defaults={"min_rate": Decimal("0.750"), "max_unexcused_days": 10},
    )
    linked = set(
        JobcenterLink.objects.filter(
            jobcenter=jobcenter, ended_at__isnull=True, revoked_at__isnull=True
        ).values_list("learner_id", flat=True)
    )
    created = 0
    obligations = Entitlement.objects.filter(
        jobcenter=jobcenter, kind=Entitlement.Kind.OBLIGATION
    ).select_related("learner")
    for obligation in obligations:
        if obligation.learner_id in linked:
            continue
        services.link_create(
            learner=obligation.learner,
            jobcenter=jobcenter,
            customer_number=customer_number(obligation.learner),
            basis=JobcenterLink.Basis.OBLIGATION,
            obligation=obligation,
            by=None,
        )
        linked.add(obligation.learner_id)
        created += 1
    # the demo learner and every tenth learner consented (scope varies)
    scopes = list(ConsentScope.values)
    for n, learner in enumerate(ctx.learners[::10]):
        if learner.pk in linked:
            continue
        services.link_create(
            learner=learner,
            jobcenter=jobcenter,
            customer_number=customer_number(learner),
            basis=JobcenterLink.Basis.CONSENT,
            consent_given_on=today - dt.timedelta(days=20 + n % 30),
            consent_scope=scopes[n % len(scopes)],
            by=ctx.staff.get(learner.provider_id),
        )
        linked.add(learner.pk)
        created += 1
    seed_demo_learner_reads(ctx)
    message = f"jobcenter: {created} links"
    if not JobcenterAPIKey.objects.filter(jobcenter=jobcenter, name="demo", revoked=False).exists():
        _, key = services.api_key_create(jobcenter=jobcenter, name="demo", by=None)
        message += f"; demo API key (shown once): {key}"
    if getattr(ctx, "stdout", None):
        ctx.stdout.write(message)


def seed_demo_learner_reads(ctx) -> None:
    """The demo learner's page "Who saw my data" has something to show: one verification by
    the Jobcenter, logged the way the API logs it (only when the learner has a link and no
    logged read yet)."""
    learner = getattr(getattr(ctx, "learner_user", None), "learner", None)
    if learner is None or AccessLogRecord.objects.filter(learner=learner).exists():
        return
    link = JobcenterLink.objects.valid().filter(learner=learner).first()
    if link is None:
        return
    services.access_log_write(
        channel=AccessLogEntry.Channel.API,
        method="POST",
        path="/api/v1/jobcenter/verifications/",
        status_code=200,
        records=[
            LearnerRecord(
                learner.pk,
                ["customer_number", "found", "enrolments", "attendance"],
                link.customer_number,
            )
        ],
        jobcenter_id=link.jobcenter_id,
    )
