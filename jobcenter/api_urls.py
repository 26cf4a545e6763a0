from django.urls import path

from jobcenter import api

urlpatterns = [
    path(
        "jobcenter/verifications/",
        api.VerificationView.as_view(),
        name="jobcenter-verifications",
    ),
    path(
        "jobcenter/participants/<str:customer_number>/",
        api.ParticipantView.as_view(),
        name="jobcenter-participant",
    ),
    path("jobcenter/events/", api.EventsView.as_view(), name="jobcenter-events"),
    path("jobcenter/webhooks/", api.WebhookListView.as_view(), name="jobcenter-webhooks"),
    path(
        "jobcenter/webhooks/<int:webhook_id>/",
        api.WebhookDetailView.as_view(),
        name="jobcenter-webhook",
    ),
    path(
        "jobcenter/webhooks/deliveries/",
        api.DeliveryListView.as_view(),
        name="jobcenter-webhook-deliveries",
    ),
]
