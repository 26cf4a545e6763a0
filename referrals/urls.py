from django.urls import include, path

from referrals import person_views, views

urlpatterns = [
    path("", include("referrals.directory.urls")),
    path("referrals/", views.referral_list, name="referrals-list"),
    path("referrals/new/", views.referral_new, name="referrals-new"),
    path("referrals/<int:pk>/", views.referral_detail, name="referrals-detail"),
    path("referrals/<int:pk>/close/", views.referral_close, name="referrals-close"),
    path(
        "referrals/<int:pk>/consents/<int:consent_pk>/revoke/",
        views.consent_revoke,
        name="referrals-consent-revoke",
    ),
    path(
        "referrals/<int:pk>/consents/<int:consent_pk>/code/",
        views.consent_code_new,
        name="referrals-consent-code",
    ),
    path("referrals/confirm/", person_views.confirm, name="referrals-confirm"),
    path("referrals/confirm/<str:code>/", person_views.confirm, name="referrals-confirm-code"),
    path("referrals/reports/", views.report_index, name="referrals-reports"),
    path(
        "referrals/reports/<slug:slug>.<str:fmt>",
        views.report_export,
        name="referrals-report-export",
    ),
    path("referrals/inbox/", views.inbox, name="referrals-inbox"),
    path("referrals/inbox/<int:pk>/", views.inbox_detail, name="referrals-inbox-detail"),
    path(
        "referrals/inbox/<int:pk>/<slug:action>/",
        views.inbox_action,
        name="referrals-inbox-action",
    ),
]
