from django.urls import path

from enrolment import views

urlpatterns = [
    path("courses/<int:pk>/apply/", views.apply, name="course-apply"),
    path("courses/<int:pk>/register/", views.register, name="course-register"),
    path(
        "enrolments/<int:pk>/confirmation.pdf",
        views.confirmation_pdf,
        name="enrolment-confirmation-pdf",
    ),
    path("staff/enrolment/courses/<int:pk>/", views.staff_course, name="enrolment-staff-course"),
    path(
        "staff/enrolment/courses/<int:pk>/enrol/",
        views.staff_course_enrol,
        name="enrolment-staff-enrol",
    ),
    path(
        "staff/enrolment/enrolments/<int:pk>/<str:action>/confirm/",
        views.staff_enrolment_confirm,
        name="enrolment-staff-confirm",
    ),
    path(
        "staff/enrolment/enrolments/<int:pk>/<str:action>/",
        views.staff_enrolment_action,
        name="enrolment-staff-action",
    ),
    path("staff/enrolment/start-watch/", views.start_watch_page, name="enrolment-start-watch"),
    path(
        "staff/enrolment/learners/<int:pk>/login-code/",
        views.login_code_sheet,
        name="enrolment-login-code",
    ),
    path("staff/placement/", views.slots, name="enrolment-slots"),
    path("staff/placement/slots/<int:pk>/", views.slot_detail, name="enrolment-slot"),
    path(
        "staff/placement/bookings/<int:pk>/result/",
        views.record_result,
        name="enrolment-record-result",
    ),
    path("staff/placement/results/<int:pk>/", views.result_detail, name="enrolment-result"),
    path("staff/enrolment/import/", views.import_upload, name="enrolment-import"),
    path("staff/enrolment/import/<int:pk>/", views.import_batch, name="enrolment-import-batch"),
]
