"""Reports appear when the fact happens: billing listens to the lower apps (which never import it).

A learner event (enrolled, course started, withdrawn, transferred, completed) or a recorded DTZ/LiD
result brings the course's outbox up to date after the commit, as a background task, so an
enrolment never waits for it or fails because of it. One sync per course and transaction, however
many learners an import enrols. What time alone brings (a module's first day coming near) the
daily sweep (``billing.inge.tasks.inge_sweep``) catches."""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models.signals import post_save

from certificates.models import TestResult
from people.models import LearnerEvent
from people.signals import learner_event_recorded

#: Learner events that change which entry and exit reports a course needs.
EVENTS = frozenset(
    {
        LearnerEvent.Type.ENROLLED,
        LearnerEvent.Type.COURSE_STARTED,
        LearnerEvent.Type.WITHDRAWN,
        LearnerEvent.Type.TRANSFERRED,
        LearnerEvent.Type.COMPLETED,
    }
)


#: Courses whose outbox this thread must sync at the next commit. Every learner event registers
#: the same flush; the first to run at commit enqueues each course once and empties the set, the
#: rest find it empty. A transaction that rolls back leaves its courses here, and the next commit
#: syncs them too — a harmless extra sync, never a lost one.
_pending = threading.local()


def pending_courses() -> set[int]:
    courses: set[int] | None = getattr(_pending, "courses", None)
    if courses is None:
        courses = _pending.courses = set()
    return courses


def _flush() -> None:
    from billing.inge.tasks import inge_course_sync

    courses = pending_courses()
    while courses:
        inge_course_sync.enqueue(course_id=courses.pop())


def sync_after_commit(course_id: int | None) -> None:
    """Sync the course's outbox once the transaction commits: one task per course, however many
    learner events the transaction records."""
    if not course_id:
        return
    pending_courses().add(course_id)
    transaction.on_commit(_flush, robust=True)


def _learner_event(sender, *, event: LearnerEvent, **kwargs) -> None:
    if event.type not in EVENTS:
        return
    for key in ("course", "from_course", "to_course"):
        value = event.data.get(key)
        if isinstance(value, int):
            sync_after_commit(value)


def _test_saved(sender, *, instance: TestResult, **kwargs) -> None:
    if instance.exam in (TestResult.Exam.DTZ, TestResult.Exam.LID):
        sync_after_commit(instance.course_id)


def connect() -> None:
    learner_event_recorded.connect(
        _learner_event, sender=LearnerEvent, dispatch_uid="billing.inge.learner_event"
    )
    post_save.connect(_test_saved, sender=TestResult, dispatch_uid="billing.inge.test_saved")
