from django.urls import path

from courses import views

urlpatterns = [
    path("courses/", views.catalogue, name="catalogue"),
    path("courses/<int:pk>/", views.course_detail, name="course-detail"),
]
