from django.urls import path

from enrolment import api

urlpatterns = [
    path("courses/<int:pk>/enrol/", api.EnrolView.as_view(), name="course-enrol"),
    path("courses/<int:pk>/apply/", api.ApplyView.as_view(), name="course-apply"),
    path("courses/<int:pk>/waitlist/", api.WaitlistJoinView.as_view(), name="course-waitlist-join"),
    path(
        "courses/<int:pk>/enrolments/", api.CourseEnrolmentsView.as_view(), name="course-enrolments"
    ),
    path(
        "courses/<int:pk>/waiting-list/",
        api.CourseWaitingListView.as_view(),
        name="course-waiting-list",
    ),
    path("enrolments/<int:pk>/", api.EnrolmentDetailView.as_view(), name="enrolment-detail"),
    path("enrolments/<int:pk>/position/", api.PositionView.as_view(), name="enrolment-position"),
    path("enrolments/<int:pk>/withdraw/", api.WithdrawView.as_view(), name="enrolment-withdraw"),
    path("enrolments/<int:pk>/transfer/", api.TransferView.as_view(), name="enrolment-transfer"),
    path("enrolments/<int:pk>/undo/", api.UndoView.as_view(), name="enrolment-undo"),
    path(
        "enrolments/<int:pk>/confirm/",
        api.ConfirmApplicationView.as_view(),
        name="enrolment-confirm",
    ),
    path("enrolments/<int:pk>/accept/", api.OfferAcceptView.as_view(), name="enrolment-accept"),
    path("enrolments/<int:pk>/decline/", api.OfferDeclineView.as_view(), name="enrolment-decline"),
    path("me/enrolments/", api.MyEnrolmentsView.as_view(), name="my-enrolments"),
    path("learners/<int:pk>/wishes/", api.WishCreateView.as_view(), name="learner-wish-create"),
]
