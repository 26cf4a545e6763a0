from django.urls import path

from reports import api

urlpatterns = [
    path("reports/<slug:slug>/", api.ReportView.as_view(), name="report"),
]
