"""Billing listens to what its claims are computed from.

``attendance`` does not know billing (imports flow one way): billing listens to the register's
saves and, after the commit, checks the issued claim of the day's module (corrections to the
register after a claim was issued become correction notes on it) and marks the module's stored
figures as changed (``ModuleFigures``: the revenue report computes them again). Changes to a
course's days and enrolments, and to a learner's exemptions, flag and travel applications, mark
every module of the courses concerned. Rule data is not listened to: the stored figures carry
the fingerprint of the rules they were computed by.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from attendance.models import AttendanceCorrection, AttendanceRecord, SessionSignOff
from attendance.signals import register_changed
from billing.models import FeeExemption, TravelSubsidyApplication
from courses.models import Course, Session
from enrolment.models import Enrolment
from people.models import Learner


def _after_commit(session_id: int) -> None:
    def check() -> None:
        from billing.services import claims_affected, figures_changed

        row = Session.objects.filter(pk=session_id).values("course_id", "module_id").first()
        if row:
            figures_changed([(row["course_id"], row["module_id"])])
            claims_affected(course_id=row["course_id"], module_id=row["module_id"])

    transaction.on_commit(check)


def _course_after_commit(course_id: int) -> None:
    def mark() -> None:
        from billing.services import course_figures_changed

        course_figures_changed([course_id])

    transaction.on_commit(mark)


def _learner_after_commit(learner_id: int) -> None:
    def mark() -> None:
        from billing.services import learner_figures_changed

        learner_figures_changed(learner_id)

    transaction.on_commit(mark)


@receiver(post_save, sender=AttendanceRecord, dispatch_uid="billing_record_saved")
def record_saved(sender, instance: AttendanceRecord, **kwargs) -> None:
    _after_commit(instance.session_id)


@receiver(post_delete, sender=AttendanceRecord, dispatch_uid="billing_record_deleted")
def record_deleted(sender, instance: AttendanceRecord, **kwargs) -> None:
    _after_commit(instance.session_id)


@receiver(register_changed, dispatch_uid="billing_register_changed")
def register_written(sender, session_id: int, **kwargs) -> None:
    _after_commit(session_id)


@receiver(post_save, sender=AttendanceCorrection, dispatch_uid="billing_correction_saved")
def correction_saved(sender, instance: AttendanceCorrection, **kwargs) -> None:
    _after_commit(instance.record.session_id)


@receiver(post_save, sender=SessionSignOff, dispatch_uid="billing_signoff_saved")
def signoff_saved(sender, instance: SessionSignOff, **kwargs) -> None:
    _after_commit(instance.session_id)


@receiver(post_delete, sender=SessionSignOff, dispatch_uid="billing_signoff_deleted")
def signoff_deleted(sender, instance: SessionSignOff, **kwargs) -> None:
    _after_commit(instance.session_id)


@receiver(post_save, sender=Session, dispatch_uid="billing_session_saved")
@receiver(post_delete, sender=Session, dispatch_uid="billing_session_deleted")
def session_changed(sender, instance: Session, **kwargs) -> None:
    # the whole course: a day moved to another module changes both
    _course_after_commit(instance.course_id)


@receiver(post_save, sender=Enrolment, dispatch_uid="billing_enrolment_saved")
@receiver(post_delete, sender=Enrolment, dispatch_uid="billing_enrolment_deleted")
def enrolment_changed(sender, instance: Enrolment, **kwargs) -> None:
    _course_after_commit(instance.course_id)


@receiver(post_save, sender=Course, dispatch_uid="billing_course_saved")
def course_saved(sender, instance: Course, created: bool = False, **kwargs) -> None:
    if not created:  # the course type decides the programme of the rate
        _course_after_commit(instance.pk)


@receiver(post_save, sender=Learner, dispatch_uid="billing_learner_saved")
def learner_saved(sender, instance: Learner, created: bool = False, **kwargs) -> None:
    if not created:  # the exemption flag
        _learner_after_commit(instance.pk)


@receiver(post_save, sender=FeeExemption, dispatch_uid="billing_exemption_saved")
@receiver(post_delete, sender=FeeExemption, dispatch_uid="billing_exemption_deleted")
@receiver(post_save, sender=TravelSubsidyApplication, dispatch_uid="billing_travel_saved")
@receiver(post_delete, sender=TravelSubsidyApplication, dispatch_uid="billing_travel_deleted")
def learner_input_changed(sender, instance: FeeExemption | TravelSubsidyApplication, **kwargs):
    _learner_after_commit(instance.learner_id)
