"""The learner area's pages (``/me/``), the calendar feed and the code login."""

from learner_area.views.absence import absence, absence_evidence
from learner_area.views.account import code_login, my_courses_moved, password
from learner_area.views.pages import (
    attendance,
    calendar_feed,
    calendar_reset,
    card_pdf,
    data_access,
    documents,
    home,
    offer_answer,
    offers,
    receipt_pdf,
    timetable,
)

__all__ = [
    "absence",
    "absence_evidence",
    "attendance",
    "calendar_feed",
    "calendar_reset",
    "card_pdf",
    "code_login",
    "data_access",
    "documents",
    "home",
    "my_courses_moved",
    "offer_answer",
    "offers",
    "password",
    "receipt_pdf",
    "timetable",
]
