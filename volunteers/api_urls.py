from django.urls import path

from volunteers import api

urlpatterns = [
    path("volunteers/", api.VolunteerListView.as_view(), name="volunteers-list"),
    path(
        "volunteers/<int:pk>/suggestions/",
        api.SuggestionsView.as_view(),
        name="volunteers-suggestions",
    ),
    path("volunteers/shifts/", api.OpenShiftsView.as_view(), name="volunteers-open-shifts"),
    path(
        "volunteers/shifts/<int:pk>/claim/",
        api.ClaimShiftView.as_view(),
        name="volunteers-shift-claim",
    ),
]
