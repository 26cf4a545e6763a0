from django.urls import path

from referrals.directory import views

urlpatterns = [
    path("network/", views.directory_page, name="directory"),
    path("network/locations/", views.location_list, name="directory-locations"),
    path("network/locations/<int:pk>/", views.location_edit, name="directory-location-edit"),
]
