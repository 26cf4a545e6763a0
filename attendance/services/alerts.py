"""Absence alerts: rules per programme and obliging authority, raised once per incident, with
an outbox event for the Jobcenter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from attendance.models import (
    Alert,
    AlertRule,
    Code,
)
from attendance.selectors import (
    attendance_figures,
    counted_records,
)
from attendance.services.base import today
from courses.models import Course, Session
from enrolment.models import Enrolment
from enrolment.selectors import enrolments_on
from people.models import Entitlement, Learner, LearnerEvent
from people.services import learner_event_record


def _obligations_on(learner: Learner, day: date) -> list[Entitlement]:
    return [
        e
        for e in learner.entitlements.all()
        if e.kind == Entitlement.Kind.OBLIGATION and e.is_valid_on(day)
    ]


def _raise_alert(
    *, rule: AlertRule, enrolment: Enrolment, key: str, dates: list[date], rate, on: date
) -> Alert | None:
    iso = [d.isoformat() for d in dates]
    alert, created = Alert.objects.get_or_create(
        rule=rule,
        enrolment=enrolment,
        incident_key=key,
        defaults={"dates": iso, "rate": rate},
    )
    if not created:
        if alert.dates != iso and alert.resolved_at is None:
            alert.dates = iso
            alert.save(update_fields=["dates"])
        return None
    obligations = _obligations_on(enrolment.learner, on)
    if obligations:
        learner_event_record(
            learner=enrolment.learner,
            type=LearnerEvent.Type.NOT_PARTICIPATING_PROPERLY,
            data={
                "alert_id": alert.pk,
                "rule": rule.kind,
                "course_id": enrolment.course_id,
                "enrolment_id": enrolment.pk,
                "dates": iso,
                "rate": str(rate) if rate is not None else None,
                "authorities": sorted({o.authority for o in obligations}),
                "jobcenter_ids": sorted({o.jobcenter_id for o in obligations if o.jobcenter_id}),
            },
        )
        alert.notified_authority = True
        alert.save(update_fields=["notified_authority"])
    return alert


def _unexcused_runs(days: list[tuple[date, str | None]], n: int) -> list[list[date]]:
    runs, current = [], []
    for day, code in days:
        if code == Code.UNEXCUSED:
            current.append(day)
        else:
            if len(current) >= n:
                runs.append(current)
            current = []
    if len(current) >= n:
        runs.append(current)
    return runs


def evaluate_alerts(*, course: Course, on: date | None = None) -> list[Alert]:
    """Evaluate the provider's alert rules for every learner of the course up to ``on``.

    An alert is raised once per incident (a run of unexcused days, a spell below the rate) and
    lists the dates that caused it; for learners obliged by an authority a
    ``not_participating_properly`` event goes to the outbox, which the Jobcenter feed delivers.
    A rate alert resolves itself when the rate recovers.
    """
    on = on or today()
    rules = [
        r
        for r in AlertRule.objects.filter(provider_id=course.provider_id, active=True)
        if r.programme_id is None or r.programme_id == course.course_type.programme_id
    ]
    if not rules:
        return []
    enrolments = list(
        enrolments_on(course=course.pk, day=on)
        .select_related("learner")
        .prefetch_related("learner__entitlements")
    )
    if not enrolments:
        return []
    figures = attendance_figures(enrolments, until=on)
    sessions = list(
        Session.objects.held()
        .filter(course_id=course.pk, date__lte=on)
        .order_by("date", "start_time")
        .values_list("pk", "date")
    )
    codes: dict[int, dict[int, str]] = {}
    for enrolment_id, session_id, code in (
        counted_records()
        .filter(enrolment__in=enrolments, session__date__lte=on)
        .values_list("enrolment_id", "session_id", "code")
    ):
        codes.setdefault(enrolment_id, {})[session_id] = code
    raised: list[Alert] = []
    for enrolment in enrolments:
        mine = codes.get(enrolment.pk, {})
        obligations = _obligations_on(enrolment.learner, on)
        for rule in rules:
            if rule.obliging_authority and not any(
                o.authority == rule.obliging_authority for o in obligations
            ):
                continue
            if rule.kind == AlertRule.Kind.RATE_BELOW:
                f = figures.get(enrolment.pk)
                rate = f.rate if f else None
                threshold = rule.threshold_percent
                assert threshold is not None  # a rate rule has one (check constraint)
                below = (
                    f is not None
                    and rate is not None
                    and f.ue_held >= rule.min_ue_held
                    and rate * 100 < threshold
                )
                open_alert = Alert.objects.filter(
                    rule=rule, enrolment=enrolment, resolved_at__isnull=True
                ).first()
                missed = []
                if below:
                    missed = [
                        d
                        for pk, d in sessions
                        if mine.get(pk) in (Code.UNEXCUSED, Code.EXCUSED, Code.CHANGED)
                        and (enrolment.start_date is None or d >= enrolment.start_date)
                    ]
                if below and open_alert is not None:
                    iso = [d.isoformat() for d in missed]
                    if open_alert.dates != iso:
                        open_alert.dates = iso
                        open_alert.save(update_fields=["dates"])
                elif below:
                    alert = _raise_alert(
                        rule=rule,
                        enrolment=enrolment,
                        key=f"rate:{on.isoformat()}",
                        dates=missed,
                        rate=Decimal(str(rate)),
                        on=on,
                    )
                    if alert:
                        raised.append(alert)
                elif not below and open_alert is not None:
                    open_alert.resolved_at = timezone.now()
                    open_alert.save(update_fields=["resolved_at"])
            else:
                days = [
                    (d, mine.get(pk))
                    for pk, d in sessions
                    if enrolment.start_date is None or d >= enrolment.start_date
                ]
                run_length = rule.consecutive_days
                assert run_length is not None  # a run rule has one (check constraint)
                for run in _unexcused_runs(days, run_length):
                    alert = _raise_alert(
                        rule=rule,
                        enrolment=enrolment,
                        key=f"run:{run[0].isoformat()}",
                        dates=run,
                        rate=None,
                        on=on,
                    )
                    if alert:
                        raised.append(alert)
    return raised


def evaluate_all_alerts(*, on: date | None = None) -> int:
    """Evaluate alert rules for every running course with rules (the nightly task)."""
    provider_ids = AlertRule.objects.filter(active=True).values("provider_id")
    count = 0
    for course in Course.objects.filter(
        provider_id__in=provider_ids, status=Course.Status.RUNNING
    ).select_related("course_type"):
        count += len(evaluate_alerts(course=course, on=on))
    return count
