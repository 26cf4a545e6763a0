"""Every write about placement tests, enrolments, waiting lists, offers and learner logins.

Services that change how many seats of a course are held lock the course row first
(``select_for_update``), so two requests for the last seat cannot both win. Every status change
records a learner event in the same transaction; mails go out after commit."""

from enrolment.services.accounts import (
    CODE_ALPHABET,
    OneTimeCode,
    Registration,
    code_hash,
    learner_account_create,
    learner_register,
    login_code_issue,
    login_code_redeem,
    one_time_code,
)
from enrolment.services.base import EnrolmentError, Reason, Status
from enrolment.services.imports import IMPORT_FORMATS, learner_import_preview, learner_import_run
from enrolment.services.placement import (
    enrol_from_result,
    placement_book,
    placement_result_record,
    placement_slot_create,
)
from enrolment.services.seats import (
    application_confirm,
    application_create,
    enrolment_complete,
    enrolment_create,
    enrolment_transfer,
    enrolment_transfer_undo,
    enrolment_withdraw,
    enrolment_withdraw_undo,
    undo_problem,
    waitlist_join,
)
from enrolment.services.waitlist import (
    course_started_record,
    offer_accept,
    offer_decline,
    offers_expire,
    waitlist_on_seats_changed,
)
from enrolment.services.wishes import wish_cancel, wish_create

__all__ = [
    "CODE_ALPHABET",
    "IMPORT_FORMATS",
    "EnrolmentError",
    "OneTimeCode",
    "Reason",
    "Registration",
    "Status",
    "application_confirm",
    "application_create",
    "code_hash",
    "course_started_record",
    "enrol_from_result",
    "enrolment_complete",
    "enrolment_create",
    "enrolment_transfer",
    "enrolment_transfer_undo",
    "enrolment_withdraw",
    "enrolment_withdraw_undo",
    "learner_account_create",
    "learner_import_preview",
    "learner_import_run",
    "learner_register",
    "login_code_issue",
    "login_code_redeem",
    "offer_accept",
    "offer_decline",
    "offers_expire",
    "one_time_code",
    "placement_book",
    "placement_result_record",
    "placement_slot_create",
    "undo_problem",
    "waitlist_join",
    "waitlist_on_seats_changed",
    "wish_cancel",
    "wish_create",
]
