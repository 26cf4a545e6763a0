"""Background work of the InGe outbox: one course after a change, every course once a day."""

from __future__ import annotations

from django.tasks import task


@task
def inge_course_sync(*, course_id: int) -> int:
    """Bring one course's reports up to date (after a learner event or a test result)."""
    from billing.inge.services import inge_sync_course
    from courses.models import Course

    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    result = inge_sync_course(course=course)
    return result.created + result.updated


@task
def inge_sweep() -> int:
    """Daily: bring every provider's outbox up to date (a module starting within the lead time,
    data corrected on the course or the learner's record). Returns the reports created."""
    from billing.inge.services import inge_sync

    return inge_sync().created
