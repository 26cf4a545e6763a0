from django.urls import path

from attendance import api

urlpatterns = [
    path(
        "attendance/sessions/<int:pk>/register/",
        api.RegisterView.as_view(),
        name="attendance-register",
    ),
    path(
        "attendance/sessions/<int:pk>/records/",
        api.RecordSetView.as_view(),
        name="attendance-record-set",
    ),
    path("attendance/sessions/<int:pk>/sign/", api.SignView.as_view(), name="attendance-sign"),
    path(
        "attendance/sessions/<int:pk>/card-checkins/",
        api.CardCheckinView.as_view(),
        name="attendance-card-checkin",
    ),
    path("attendance/sessions/<int:pk>/token/", api.TokenView.as_view(), name="attendance-token"),
    path(
        "attendance/sessions/<int:pk>/checkin/",
        api.CheckinView.as_view(),
        name="attendance-checkin",
    ),
    path("attendance/alerts/", api.AlertsView.as_view(), name="attendance-alerts"),
]
