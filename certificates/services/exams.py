"""Test results that certificates issued later show."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from certificates.models import TestResult
from certificates.services.base import actor, check_scope
from courses.models import Course, Module
from people.models import Learner, User


@transaction.atomic
def exam_result_record(
    *,
    learner: Learner,
    exam: str,
    taken_on: date,
    result: str,
    by: User | None,
    course: Course | None = None,
    module: Module | None = None,
    level: str = "",
    passed: bool | None = None,
) -> TestResult:
    """Record a test result; certificates issued later show it (issued ones never change)."""
    check_scope(learner=learner, course=course, module=module)
    with actor(by):
        return TestResult.objects.create(
            learner=learner,
            course=course,
            module=module,
            exam=exam,
            taken_on=taken_on,
            result=result,
            level=level,
            passed=passed,
            recorded_by=by,
        )
