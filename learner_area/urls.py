from django.urls import path

from learner_area import views

urlpatterns = [
    path("me/", views.home, name="learner-home"),
    path("me/timetable/", views.timetable, name="learner-timetable"),
    path("me/timetable/calendar/", views.calendar_reset, name="learner-calendar-reset"),
    path("me/calendar/<str:token>.ics", views.calendar_feed, name="learner-calendar-feed"),
    path("me/attendance/", views.attendance, name="learner-attendance"),
    path("me/absence/", views.absence, name="learner-absence"),
    path(
        "me/absence/<int:pk>/evidence/",
        views.absence_evidence,
        name="learner-absence-evidence",
    ),
    path("me/offers/", views.offers, name="learner-offers"),
    path("me/offers/<int:pk>/<str:answer>/", views.offer_answer, name="learner-offer-answer"),
    path("me/documents/", views.documents, name="learner-documents"),
    path("me/documents/card.pdf", views.card_pdf, name="learner-card-pdf"),
    path("me/documents/receipts/<int:pk>.pdf", views.receipt_pdf, name="learner-receipt-pdf"),
    path("me/data-access/", views.data_access, name="learner-data-access"),
    path("me/password/", views.password, name="learner-password"),
    path("login/code/", views.code_login, name="code-login"),
    path("login/code/<str:code>/", views.code_login, name="code-login-link"),
    # The old "My courses" address (bookmarks, printed letters) leads to the home page.
    path("my/courses/", views.my_courses_moved, name="my-courses"),
]
