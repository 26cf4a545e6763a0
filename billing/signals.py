"""Corrections to the register after a claim was issued become correction notes on it.

``attendance`` does not know billing (imports flow one way): billing listens to the register's
saves and, after the commit, checks the issued claim of the day's module.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from attendance.models import AttendanceCorrection, AttendanceRecord, SessionSignOff
from courses.models import Session


def _after_commit(session_id: int) -> None:
    def check() -> None:
        from billing.services import claims_affected

        row = Session.objects.filter(pk=session_id).values("course_id", "module_id").first()
        if row:
            claims_affected(course_id=row["course_id"], module_id=row["module_id"])

    transaction.on_commit(check)


@receiver(post_save, sender=AttendanceRecord, dispatch_uid="billing_record_saved")
def record_saved(sender, instance: AttendanceRecord, **kwargs) -> None:
    _after_commit(instance.session_id)


@receiver(post_save, sender=AttendanceCorrection, dispatch_uid="billing_correction_saved")
def correction_saved(sender, instance: AttendanceCorrection, **kwargs) -> None:
    _after_commit(instance.record.session_id)


@receiver(post_save, sender=SessionSignOff, dispatch_uid="billing_signoff_saved")
def signoff_saved(sender, instance: SessionSignOff, **kwargs) -> None:
    _after_commit(instance.session_id)
