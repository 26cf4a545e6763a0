from django.urls import path

from certificates import api

urlpatterns = [
    path("certificates/documents/", api.DocumentListView.as_view(), name="certificates-documents"),
    path(
        "certificates/documents/<int:pk>/revoke/",
        api.DocumentRevokeView.as_view(),
        name="certificates-document-revoke",
    ),
    path("verify/<str:code>/", api.VerifyView.as_view(), name="certificates-verify"),
]
