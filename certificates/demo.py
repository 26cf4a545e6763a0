"""Demo certificates: one participation certificate in the first running course (idempotent)."""

from __future__ import annotations

from certificates.models import Document
from certificates.selectors import course_certifiable_enrolments
from certificates.services import certificate_issue


def seed(ctx) -> None:
    provider = ctx.providers[0]
    if Document.objects.filter(provider=provider).exists():
        return
    for course in ctx.courses:
        if course.provider_id != provider.pk or course.status != "running":
            continue
        enrolments = course_certifiable_enrolments(course)
        if not enrolments:
            continue
        document = certificate_issue(
            kind="participation",
            learner=enrolments[0].learner,
            course=course,
            by=ctx.staff.get(provider.pk),
            language="ar",
        )
        ctx.stdout.write(f"    certificates: verify at /verify/{document.code}")
        return
