"""Demo InGe outbox of the first provider (idempotent): the teachers' admissions, the reports its
courses call for, and a few in every state — sent, ready, to do, and a sent entry followed by a
correction."""

from __future__ import annotations

import datetime as dt

from billing.inge.services import (
    inge_correction_create,
    inge_mark_ready,
    inge_mark_sent,
    inge_sync,
)
from billing.models import InGeReport, TeacherAdmission


def seed(ctx) -> None:
    provider = ctx.providers[0]
    staff = ctx.staff[provider.pk]
    for n, teacher in enumerate(ctx.teachers[provider.pk]):
        TeacherAdmission.objects.get_or_create(
            provider=provider,
            teacher=teacher,
            defaults={
                "number": f"LK-{provider.pk:03d}-{n + 1:04d}",
                "admitted_on": dt.date(2019, 3, 1),
            },
        )
    result = inge_sync(provider_ids=[provider.pk], today=ctx.today)
    reports = InGeReport.objects.filter(course__provider=provider)
    if reports.filter(status=InGeReport.Status.SENT).exists():
        return
    open_reports = list(reports.filter(missing=0, corrects__isnull=True).order_by("due_on", "pk"))
    starts = [r for r in open_reports if r.kind == InGeReport.Kind.COURSE_START]
    entries = [r for r in open_reports if r.kind == InGeReport.Kind.ENTRY]
    on = ctx.today
    for report in starts[:1] + entries[:2]:  # sent
        inge_mark_ready(report=report, by=staff)
        inge_mark_sent(report=report, by=staff, sent_on=on)
    for report in entries[2:3]:  # ready, not yet entered
        inge_mark_ready(report=report, by=staff)
    if entries[:1]:  # a sent entry followed by a correction
        inge_correction_create(report=entries[0])
    ctx.stdout.write(
        f"    billing: {result.created} InGe reports, "
        f"{reports.filter(status=InGeReport.Status.SENT).count()} sent"
    )
