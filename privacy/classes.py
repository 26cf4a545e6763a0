"""What each retention class is, in words: its name, the event its period runs from, the
purpose of the processing, whose data it is and who receives it.

The periods themselves are rule data (``RetentionRule``); these texts describe the classes on the
learner's privacy page and in the record of processing activities. Names and events are
learner-facing (translated into the learners' languages); purposes and recipients are read by
staff and the supervisory authority.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ClassInfo:
    key: str
    name: Promise
    runs_from: Promise
    purpose: Promise
    subjects: Promise
    recipients: Promise
    for_learners: bool = True  # shown on the learner's privacy page


LEARNERS = _("Learners")
NOBODY = _("None outside the provider")

CLASSES: dict[str, ClassInfo] = {
    c.key: c
    for c in [
        ClassInfo(
            "attendance_records",
            _("Attendance and billing records"),
            _("after the end of the course"),
            _(
                "Attendance register, enrolments, entitlements and final test results of "
                "BAMF courses: billing with BAMF and proof of proper participation."
            ),
            LEARNERS,
            _("BAMF (billing); the obliging authority where a reporting duty exists"),
        ),
        ClassInfo(
            "placement_tests",
            _("Placement test papers"),
            _("after the end of the year of the test"),
            _("Placement test results and the placement decided on them."),
            LEARNERS,
            _("BAMF on inspection"),
        ),
        ClassInfo(
            "absence_evidence",
            _("Evidence for absences (e.g. medical certificates)"),
            _("after the absence was decided and the course section billed"),
            _("Proof of excused absences for the attendance register and billing."),
            LEARNERS,
            _("BAMF on inspection"),
        ),
        ClassInfo(
            "checkin_metadata",
            _("Check-in data (device, network address, check-in code)"),
            _("after the check-in"),
            _("Checking that a QR check-in came from the classroom; revoked learner cards."),
            LEARNERS,
            NOBODY,
        ),
        ClassInfo(
            "attendance_alerts",
            _("Attendance alerts"),
            _("after the end of the course"),
            _("Staff follow up learners who miss lessons."),
            LEARNERS,
            NOBODY,
        ),
        ClassInfo(
            "learner_records",
            _("Registration and contact data"),
            _("after registration, and only once all other records about you are gone"),
            _(
                "Registration, contact data, waiting lists, wishes, Jobcenter links and the "
                "event outbox."
            ),
            LEARNERS,
            _("The Jobcenter, only with a reporting duty or your consent"),
        ),
        ClassInfo(
            "erasure_notices",
            _("Records after an erasure request"),
            _("after the erasure request"),
            _(
                "What an erasure request could not delete, restricted; the notice to the "
                "Jobcenter that its link ended."
            ),
            LEARNERS,
            _("The Jobcenter (only that the link ended)"),
        ),
        ClassInfo(
            "login_codes",
            _("Printed login codes"),
            _("after the code expired"),
            _("One-time codes that log a learner's phone in."),
            LEARNERS,
            NOBODY,
        ),
        ClassInfo(
            "working_files",
            _("Working files (uploaded lists, print files)"),
            _("after they were made"),
            _("Learner lists uploaded for import; PDF batches for printing."),
            LEARNERS,
            NOBODY,
            for_learners=False,
        ),
        ClassInfo(
            "issued_documents",
            _("Copies of issued certificates"),
            _("after the certificate was issued"),
            _("Certificates issued to learners, so that their authenticity can be checked."),
            LEARNERS,
            _("Anyone holding the certificate's code (verification page)"),
        ),
        ClassInfo(
            "internship_records",
            _("Internships"),
            _("after the end of the internship"),
            _("Internship agreements, days and evaluations; outcome statistics."),
            _("Learners; supervisors at employers"),
            _("The Jobcenter, only with a reporting duty or your consent"),
        ),
        ClassInfo(
            "jobcenter_access_log",
            _("Log of what the Jobcenter read about you"),
            _("after the end of the year in which it was read"),
            _("Showing learners who at the Jobcenter read which of their data."),
            LEARNERS,
            NOBODY,
        ),
        ClassInfo(
            "webhook_deliveries",
            _("Delivery log of notifications to the Jobcenter"),
            _("after the delivery"),
            _("Proof and retry of the notifications sent to a Jobcenter's system."),
            LEARNERS,
            NOBODY,
            for_learners=False,
        ),
        ClassInfo(
            "user_accounts",
            _("Logins no longer in use"),
            _("after the last use"),
            _("Logins of staff, teachers, caseworkers and learners."),
            _("Staff, teachers, caseworkers, learners"),
            NOBODY,
            for_learners=False,
        ),
        ClassInfo(
            "business_contacts",
            _("Contact persons at employers"),
            _("while the cooperation lasts"),
            _("Arranging internships with employers."),
            _("Contact persons at employers"),
            NOBODY,
            for_learners=False,
        ),
        ClassInfo(
            "legal_holds",
            _("Legal holds"),
            _("after the hold ended"),
            _("Stopping deletion during a court case or an audit."),
            LEARNERS,
            NOBODY,
            for_learners=False,
        ),
        ClassInfo(
            "data_requests",
            _("Requests about your data"),
            _("after the request was answered"),
            _("Proof that requests for a copy or erasure were answered."),
            LEARNERS,
            NOBODY,
        ),
        ClassInfo(
            "certificate_of_conduct",
            _("Certificate of conduct checks of volunteers"),
            _("after the last activity"),
            _(
                "That an extended certificate of conduct was inspected, its date, by whom "
                "and the result (nothing else)."
            ),
            _("Volunteers"),
            NOBODY,
            for_learners=False,
        ),
        ClassInfo(
            "referrals",
            _("Referrals in the network"),
            _("after the referral was closed"),
            _("Referring a person to another provider of the network, with their consent."),
            _("Persons referred"),
            _("The provider the person is referred to"),
        ),
        ClassInfo(
            "accounting_records",
            _("Accounting records (payments, allowances)"),
            _("after the end of the year"),
            _("Receipts of own contributions and volunteer allowances."),
            _("Learners; volunteers"),
            _("Tax office on audit"),
            for_learners=False,
        ),
    ]
}


def info(key: str) -> ClassInfo:
    """The description of a class; a class without one (added as data only) shows its key."""
    return CLASSES.get(key) or ClassInfo(key, key, "", "", "", "", for_learners=False)
