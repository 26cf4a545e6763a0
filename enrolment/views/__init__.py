"""Enrolment pages: registration from the catalogue, the proof of registration, staff screens
(the learner's own pages are in ``learner_area``)."""

from __future__ import annotations

from enrolment.views.base import (
    staff_required,
)
from enrolment.views.courses import (
    login_code_sheet,
    staff_course,
    staff_course_enrol,
    staff_enrolment_action,
    staff_enrolment_confirm,
    start_watch_page,
)
from enrolment.views.imports import (
    PREVIEW_ROWS,
    import_batch,
    import_upload,
)
from enrolment.views.learner import (
    apply,
    confirmation_pdf,
    register,
)
from enrolment.views.placement import (
    record_result,
    result_detail,
    slot_detail,
    slots,
)

__all__ = [
    "PREVIEW_ROWS",
    "apply",
    "confirmation_pdf",
    "import_batch",
    "import_upload",
    "login_code_sheet",
    "record_result",
    "register",
    "result_detail",
    "slot_detail",
    "slots",
    "staff_course",
    "staff_course_enrol",
    "staff_enrolment_action",
    "staff_enrolment_confirm",
    "staff_required",
    "start_watch_page",
]
