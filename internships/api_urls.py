from django.urls import path

from internships import api

urlpatterns = [
    path("internships/placements/", api.PlacementListView.as_view(), name="internships-placements"),
    path(
        "internships/placements/<int:pk>/clashes/",
        api.PlacementClashesView.as_view(),
        name="internships-placement-clashes",
    ),
    path(
        "internships/placements/<int:pk>/agree/",
        api.PlacementAgreeView.as_view(),
        name="internships-placement-agree",
    ),
]
