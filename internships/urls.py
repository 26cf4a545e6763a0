from django.urls import path

from internships import views

urlpatterns = [
    path("internships/", views.placement_list, name="internships-home"),
    path("internships/employers/", views.employer_list, name="internships-employers"),
    path("internships/employers/<int:pk>/", views.employer_edit, name="internships-employer-edit"),
    path("internships/placements/new/", views.placement_new, name="internships-placement-new"),
    path("internships/placements/<int:pk>/", views.placement_detail, name="internships-placement"),
    path(
        "internships/placements/<int:pk>/edit/",
        views.placement_edit,
        name="internships-placement-edit",
    ),
    path(
        "internships/placements/<int:pk>/<slug:action>/",
        views.placement_action,
        name="internships-placement-action",
    ),
    path("internships/suggestions/", views.suggestions, name="internships-suggestions"),
    path("internships/week/<str:token>/", views.supervisor_week, name="internships-week"),
]
