from django.urls import path

from jobcenter import views

urlpatterns = [
    path("jobcenter/", views.portal, name="jobcenter-portal"),
    path(
        "jobcenter/enrolments/<int:pk>/<slug:kind>.pdf",
        views.enrolment_document,
        name="jobcenter-enrolment-document",
    ),
]
