"""Marks on the stored figures of modules (``ModuleFigures``): an input of the module's claim
changed, so the revenue report computes it again."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from billing.models import ModuleFigures
from courses.models import Session
from enrolment.models import Enrolment


def figures_changed(pairs: Iterable[tuple[int, int]]) -> int:
    """Mark the figures of these (course id, module id) pairs as changed now (one query).

    Called after the commit of the change, so a computation that began before it read the old
    register and is seen as stale (its ``computed_at`` is earlier); a module with no figures yet
    gets a mark row, so a computation already under way cannot store them as fresh."""
    now = timezone.now()
    rows = [ModuleFigures(course_id=c, module_id=m, changed_at=now) for c, m in set(pairs)]
    if not rows:
        return 0
    ModuleFigures.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["course", "module"],
        update_fields=["changed_at"],
    )
    return len(rows)


def course_figures_changed(course_ids: Iterable[int]) -> int:
    """Every module of these courses changed (an enrolment, a course day): two queries."""
    pairs = (
        Session.objects.filter(course_id__in=list(course_ids))
        .values_list("course_id", "module_id")
        .distinct()
        .order_by()
    )
    return figures_changed(pairs)


def learner_figures_changed(learner_id: int) -> int:
    """Every module of every course of the learner changed (exemption, travel application)."""
    return course_figures_changed(
        Enrolment.objects.filter(learner_id=learner_id).values_list("course_id", flat=True)
    )
