from django.urls import path

from privacy import views

urlpatterns = [
    path("me/data/", views.my_data, name="privacy-my-data"),
    path("me/privacy/", views.my_privacy, name="privacy-notice"),
    path("privacy/<int:pk>/", views.public_notice, name="privacy-notice-public"),
    path("staff/privacy/", views.staff_overview, name="privacy-staff"),
    path("staff/privacy/restricted/", views.restricted, name="privacy-restricted"),
    path(
        "staff/privacy/providers/<int:pk>/processing-record.xlsx",
        views.processing_record,
        name="privacy-processing-record",
    ),
    path("staff/privacy/learners/<int:pk>/", views.staff_learner, name="privacy-learner"),
    path(
        "staff/privacy/learners/<int:pk>/data/",
        views.staff_learner_data,
        name="privacy-learner-data",
    ),
    path(
        "staff/privacy/learners/<int:pk>/erase/",
        views.staff_learner_erase,
        name="privacy-learner-erase",
    ),
]
