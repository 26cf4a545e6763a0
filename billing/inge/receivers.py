"""Reports appear when the fact happens: billing listens to the lower apps (which never import it).

A learner event (enrolled, course started, withdrawn, transferred, completed) or a recorded DTZ/LiD
result brings the course's outbox up to date after the commit, as a background task, so an
enrolment never waits for it or fails because of it. One sync per course and transaction, however
many learners an import enrols. What time alone brings (a module's first day coming near) the
daily sweep (``billing.inge.tasks.inge_sweep``) catches."""

from __future__ import annotations

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


class _SyncAfterCommit:
    """The on-commit callback for one course; recognisable, so a transaction schedules it once."""

    def __init__(self, course_id: int) -> None:
        self.course_id = course_id

    def __call__(self) -> None:
        from billing.inge.tasks import inge_course_sync

        inge_course_sync.enqueue(course_id=self.course_id)


def sync_after_commit(course_id: int | None) -> None:
    if not course_id:
        return
    pending = transaction.get_connection().run_on_commit
    if any(isinstance(f, _SyncAfterCommit) and f.course_id == course_id for _, f, _ in pending):
        return
    transaction.on_commit(_SyncAfterCommit(course_id), robust=True)


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
