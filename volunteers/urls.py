from django.urls import path

from volunteers.views import activities, learner, public, reports, staff, volunteer

urlpatterns = [
    # public and learners
    path("practise/", public.practice, name="volunteers-practice"),
    path("practise/<int:pk>/signup/", public.practice_signup, name="volunteers-practice-signup"),
    path(
        "practise/<int:pk>/cancel/",
        public.practice_signup_cancel,
        name="volunteers-practice-cancel",
    ),
    path("buddy/", learner.buddy, name="volunteers-buddy"),
    path("buddy/<int:pk>/<slug:action>/", learner.buddy_action, name="volunteers-buddy-action"),
    # volunteers
    path("volunteering/join/", public.signup, name="volunteers-signup"),
    path("volunteering/", volunteer.home, name="volunteers-home"),
    path("volunteering/shifts/", volunteer.shifts, name="volunteers-shifts"),
    path(
        "volunteering/shifts/<int:pk>/claim/", volunteer.shift_claim, name="volunteers-shift-claim"
    ),
    path(
        "volunteering/my-shifts/<int:pk>/release/",
        volunteer.shift_release,
        name="volunteers-shift-release",
    ),
    path("volunteering/tandems/<int:pk>/", volunteer.tandem, name="volunteers-tandem"),
    path(
        "volunteering/checkins/<int:pk>/",
        volunteer.checkin_answer,
        name="volunteers-checkin-answer",
    ),
    path("volunteering/profiles/<int:pk>/", volunteer.profile, name="volunteers-profile"),
    path(
        "volunteering/profiles/<int:pk>/record/<int:year>/",
        volunteer.record,
        name="volunteers-record",
    ),
    path(
        "volunteering/profiles/<int:pk>/record/<int:year>/proof/",
        volunteer.proof_issue,
        name="volunteers-proof-issue",
    ),
    path("volunteering/proofs/<int:pk>.pdf", volunteer.proof_pdf, name="volunteers-proof-pdf"),
    # coordinators (provider staff)
    path("volunteers/", staff.overview, name="volunteers-staff"),
    path("volunteers/people/", staff.volunteer_list, name="volunteers-staff-list"),
    path("volunteers/people/<int:pk>/", staff.volunteer_detail, name="volunteers-staff-volunteer"),
    path("volunteers/people/<int:pk>/matches/", staff.matches, name="volunteers-staff-matches"),
    path(
        "volunteers/people/<int:pk>/<slug:action>/",
        staff.volunteer_action,
        name="volunteers-staff-volunteer-action",
    ),
    path("volunteers/proofs/<int:pk>.pdf", staff.proof_pdf, name="volunteers-staff-proof-pdf"),
    path("volunteers/tandems/<int:pk>/", staff.tandem_detail, name="volunteers-staff-tandem"),
    path(
        "volunteers/tandems/<int:pk>/<slug:action>/",
        staff.tandem_action,
        name="volunteers-staff-tandem-action",
    ),
    path("volunteers/hours/", staff.hours, name="volunteers-staff-hours"),
    path("volunteers/activities/", activities.activity_list, name="volunteers-staff-activities"),
    path(
        "volunteers/activities/<int:pk>/",
        activities.activity_detail,
        name="volunteers-staff-activity",
    ),
    path("volunteers/dates/<int:pk>/", activities.date_detail, name="volunteers-staff-date"),
    path(
        "volunteers/dates/<int:pk>/<slug:action>/",
        activities.date_action,
        name="volunteers-staff-date-action",
    ),
    path(
        "volunteers/assignments/<int:pk>/<slug:action>/",
        activities.assignment_action,
        name="volunteers-staff-assignment-action",
    ),
    path("volunteers/reports/", reports.report_index, name="volunteers-staff-reports"),
    path(
        "volunteers/reports/<slug:slug>.<str:fmt>",
        reports.report_export,
        name="volunteers-staff-report-export",
    ),
]
