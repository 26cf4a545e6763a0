from django.urls import path

from certificates import views

urlpatterns = [
    path("certificates/", views.document_list, name="certificates-home"),
    path(
        "certificates/courses/<int:course_pk>/",
        views.course_certificates,
        name="certificates-course",
    ),
    path(
        "certificates/courses/<int:course_pk>/issue/",
        views.course_issue,
        name="certificates-course-issue",
    ),
    path(
        "certificates/courses/<int:course_pk>/batch/",
        views.course_batch,
        name="certificates-course-batch",
    ),
    path(
        "certificates/placements/<int:placement_pk>/issue/",
        views.placement_issue,
        name="certificates-placement-issue",
    ),
    path("certificates/batches/<int:pk>/", views.batch_detail, name="certificates-batch"),
    path(
        "certificates/batches/<int:pk>/status/",
        views.batch_status,
        name="certificates-batch-status",
    ),
    path("certificates/batches/<int:pk>/pdf/", views.batch_pdf, name="certificates-batch-pdf"),
    path("certificates/documents/<int:pk>/", views.document_detail, name="certificates-document"),
    path(
        "certificates/documents/<int:pk>/pdf/", views.document_pdf, name="certificates-document-pdf"
    ),
    path(
        "certificates/documents/<int:pk>/revoke/",
        views.document_revoke,
        name="certificates-document-revoke",
    ),
    path(
        "certificates/documents/<int:pk>/correct/",
        views.document_correct,
        name="certificates-document-correct",
    ),
    path("verify/<str:code>", views.verify, name="certificates-verify"),
    path("verify/<str:code>/", views.verify),
]
