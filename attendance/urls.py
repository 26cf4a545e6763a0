from django.urls import path

from attendance import views

urlpatterns = [
    path("teach/", views.teacher_home, name="teacher-home"),
    path("checkin/<int:pk>/", views.checkin, name="attendance-checkin"),
    path("attendance/courses/<int:pk>/", views.course_overview, name="attendance-course"),
    path(
        "attendance/courses/<int:pk>/modules/<int:module_pk>/list.pdf",
        views.module_list_pdf,
        name="attendance-module-list",
    ),
    path(
        "attendance/courses/<int:pk>/cards.pdf",
        views.course_cards_pdf,
        name="attendance-course-cards",
    ),
    path("attendance/sessions/<int:pk>/", views.register, name="attendance-register"),
    path("attendance/sessions/<int:pk>/mark/", views.register_mark, name="attendance-mark"),
    path("attendance/sessions/<int:pk>/sign/", views.register_sign, name="attendance-sign"),
    path("attendance/sessions/<int:pk>/qr/", views.qr_screen, name="attendance-qr"),
    path("attendance/sessions/<int:pk>/scan/", views.scan, name="attendance-scan"),
    path(
        "attendance/sessions/<int:pk>/signatures.pdf",
        views.signature_sheet_pdf,
        name="attendance-signature-sheet",
    ),
    path("attendance/learners/<int:pk>/", views.learner_attendance, name="attendance-learner"),
    path("attendance/learners/<int:pk>/card.pdf", views.card_pdf, name="attendance-card-pdf"),
    path(
        "attendance/learners/<int:pk>/card/issue/", views.card_issue, name="attendance-card-issue"
    ),
    path("attendance/cards/<int:pk>/revoke/", views.card_revoke, name="attendance-card-revoke"),
    path("attendance/records/<int:pk>/correct/", views.record_correct, name="attendance-correct"),
    path(
        "attendance/records/<int:pk>/evidence/",
        views.evidence_upload,
        name="attendance-evidence-upload",
    ),
    path("attendance/evidence/<int:pk>/", views.evidence_download, name="attendance-evidence"),
    path(
        "attendance/absence-reports/<int:pk>/evidence/",
        views.report_evidence_download,
        name="attendance-report-evidence",
    ),
    path(
        "attendance/absence-reports/<int:pk>/decide/",
        views.report_decide,
        name="attendance-report-decide",
    ),
    path("attendance/alerts/", views.alerts, name="attendance-alerts"),
]
