"""The pre-check before a claim goes out: every defect with the learner, the day and what to do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from attendance.models import SELF_METHODS, AbsenceEvidence, AttendanceRecord
from attendance.rules import CERTIFICATE_FROM_DAY
from billing.models import (
    Finding,
    InGeReport,
)
from billing.rules import RuleBook
from billing.selectors.claims import ComputedClaim
from billing.selectors.fees import fee_rules, module_test_fees
from courses.models import Session
from enrolment.models import Enrolment
from enrolment.selectors import policy_for

# --- pre-check --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A pre-check finding before it is stored: what, for which learner and day, what to do."""

    kind: str
    enrolment: Enrolment | None
    session: Session | None
    detail: str = ""
    #: The test concerned (``placement``, ``dtz``, ``lid``) and its day, for a missing fee rule.
    test: str = ""
    day: date | None = None

    @property
    def key(self) -> tuple[str, int | None, int | None, str]:
        about = f"{self.test}:{self.day.isoformat()}" if self.test and self.day else ""
        return (
            self.kind,
            self.enrolment.pk if self.enrolment else None,
            self.session.pk if self.session else None,
            about,
        )


#: What staff do about each kind of finding.
TODO: dict[str, Callable[[], str]] = {
    Finding.Kind.UNSIGNED_DAY: lambda: _("Ask the teacher to check and sign the day's register."),
    Finding.Kind.MISSING_CODE: lambda: _("Enter the learner's code for the day in the register."),
    Finding.Kind.LATE_ENTRY: lambda: _(
        "Check that BAMF approved the late entry; acknowledge with the approval's reference."
    ),
    Finding.Kind.NO_CERTIFICATE: lambda: _(
        "Record the medical certificate with the absence, or set the day to unexcused."
    ),
    Finding.Kind.NO_COURSE_NUMBER: lambda: _("Enter the BAMF course number on the course."),
    Finding.Kind.NO_LEARNER_NUMBER: lambda: _(
        "Enter the BAMF participant number (Kennziffer) on the learner's record."
    ),
    Finding.Kind.UNCONFIRMED_CHECKIN: lambda: _(
        "The teacher confirms the check-in by signing the day (or corrects the code)."
    ),
    Finding.Kind.NO_FEE_RULE: lambda: _(
        "Enter the fee rule for this test, valid from the day of the test or earlier, in the "
        "admin (BAMF billing › Test fees); the fee is billed with the claim once it is in force."
    ),
    Finding.Kind.NO_START_REPORT: lambda: _(
        "Enter the course-start report and the learner's entry report in InGe-Online and mark "
        "them sent in the InGe outbox; if BAMF accepted the late report, acknowledge with its "
        "reference."
    ),
}


def todo_for(kind: str) -> str:
    return str(TODO[kind]())


def precheck(computed: ComputedClaim, *, rules: RuleBook | None = None) -> list[Problem]:
    """Everything that must be fixed or acknowledged before the claim goes out. Seven queries
    (records, certificates, the enrolment policy, the sent InGe reports, the fee versions unless
    ``rules`` are given, the placement tests and the exams) on top of the computation's."""
    course, sessions, until = computed.course, computed.sessions, computed.until
    problems: list[Problem] = []
    if not course.bamf_course_number.strip():
        problems.append(Problem(Finding.Kind.NO_COURSE_NUMBER, None, None))
    if not sessions or until is None:
        return problems
    problems += _fee_rule_problems(computed, rules)
    held = [s for s in sessions if s.date <= until]
    for session in held:
        if not _signed(session):
            problems.append(Problem(Finding.Kind.UNSIGNED_DAY, None, session))
    first = sessions[0].date
    enrolments = computed.enrolments
    records: dict[tuple[int, int], Any] = {}
    for row in AttendanceRecord.objects.filter(
        session__in=[s.pk for s in held], enrolment__in=[e.pk for e in enrolments]
    ).values("id", "enrolment_id", "session_id", "method", "absence_reason__is_illness"):
        records[(row["enrolment_id"], row["session_id"])] = dict(row)
    certified = set(
        AbsenceEvidence.objects.filter(
            record_id__in=[r["id"] for r in records.values() if r["absence_reason__is_illness"]],
            is_medical_certificate=True,
        ).values_list("record_id", flat=True)
    )
    limit = policy_for(course.provider_id).late_entry_ue
    reported = _reported(course.pk)
    for enrolment in enrolments:
        if not enrolment.learner.bamf_number.strip():
            problems.append(Problem(Finding.Kind.NO_LEARNER_NUMBER, enrolment, None))
        if not reported.covers(enrolment, entry=enrolment.start_date or first):
            problems.append(Problem(Finding.Kind.NO_START_REPORT, enrolment, None))
        entry = enrolment.start_date or first
        ue_before = sum(s.ue for s in held if s.date < entry)
        if entry > first and ue_before >= limit:
            day = next((s for s in held if s.date >= entry), None)
            problems.append(
                Problem(Finding.Kind.LATE_ENTRY, enrolment, day, detail=f"{ue_before}/{limit}")
            )
        streak: list[dict] = []
        for session in held:
            if session.date < entry or (enrolment.ended_on and session.date > enrolment.ended_on):
                continue
            found = records.get((enrolment.pk, session.pk))
            if found is None:
                problems.append(Problem(Finding.Kind.MISSING_CODE, enrolment, session))
            elif found["method"] in SELF_METHODS and not _signed(session):
                problems.append(Problem(Finding.Kind.UNCONFIRMED_CHECKIN, enrolment, session))
            if found is not None and found["absence_reason__is_illness"]:
                streak.append({"session": session, "record": found["id"]})
                continue
            problems += _illness_problems(enrolment, streak, certified)
            streak = []
        problems += _illness_problems(enrolment, streak, certified)
    return problems


def _fee_rule_problems(computed: ComputedClaim, rules: RuleBook | None) -> list[Problem]:
    """A test of the module (as ``module_test_fees`` assigns them) with no fee version in force
    on its day: BAMF's fee for it cannot go on the claim, so it would be lost unnoticed."""
    enrolment_of = {e.learner_id: e for e in computed.enrolments}
    tests = module_test_fees(
        course=computed.course,
        module_id=computed.module.pk,
        first_day=computed.first_day,
        last_day=computed.last_day,
        rules=rules or fee_rules(),
    )
    return [
        Problem(
            Finding.Kind.NO_FEE_RULE,
            enrolment_of.get(row.learner_id) if row.learner_id else None,
            None,
            test=row.kind,
            day=row.taken_on,
        )
        for row in tests
        if row.rule is None
    ]


@dataclass(frozen=True)
class _Reported:
    """What of the course's InGe reports was sent: the course start (day) and the entries."""

    course_start_sent_on: Any
    entries_sent: frozenset[int]

    def covers(self, enrolment: Enrolment, *, entry: Any) -> bool:
        """A learner joined properly when the course start was reported by the day they entered
        and their own entry was reported too (BAMF pays only for reported learners)."""
        sent_on = self.course_start_sent_on
        return sent_on is not None and sent_on <= entry and enrolment.pk in self.entries_sent


def _reported(course_id: int) -> _Reported:
    """One query: the sent course-start and entry reports of the course (originals; a sent
    correction does not move the day the course start was first reported)."""
    start = None
    entries: set[int] = set()
    for row in InGeReport.objects.filter(
        course_id=course_id,
        corrects__isnull=True,
        status=InGeReport.Status.SENT,
        kind__in=[InGeReport.Kind.COURSE_START, InGeReport.Kind.ENTRY],
    ).values("kind", "sent_on", "enrolment_id"):
        if row["kind"] == InGeReport.Kind.COURSE_START:
            start = row["sent_on"]
        else:
            entries.add(row["enrolment_id"])
    return _Reported(start, frozenset(entries))


def _illness_problems(enrolment: Enrolment, streak: list[dict], certified: set[int]) -> list:
    """From the fourth course day of an illness in a row a medical certificate is needed; one
    certificate recorded on any day of the streak covers it."""
    if len(streak) < CERTIFICATE_FROM_DAY or any(d["record"] in certified for d in streak):
        return []
    return [
        Problem(Finding.Kind.NO_CERTIFICATE, enrolment, d["session"])
        for d in streak[CERTIFICATE_FROM_DAY - 1 :]
    ]


def _signed(session: Session) -> bool:
    from attendance.selectors import is_locked

    return is_locked(session)
