from django.urls import path

from billing.inge import admissions, views

urlpatterns = [
    path("billing/inge/", views.inge_list, name="billing-inge-list"),
    path("billing/inge/refresh/", views.inge_refresh, name="billing-inge-refresh"),
    path("billing/inge/<int:pk>/", views.inge_detail, name="billing-inge-report"),
    path("billing/inge/<int:pk>/ready/", views.inge_ready, name="billing-inge-ready"),
    path("billing/inge/<int:pk>/sent/", views.inge_sent, name="billing-inge-sent"),
    path("billing/inge/<int:pk>/correct/", views.inge_correct, name="billing-inge-correct"),
    path("billing/admissions/", admissions.admission_list, name="billing-admissions"),
    path("billing/admissions/add/", admissions.admission_add, name="billing-admission-add"),
    path("billing/admissions/<int:pk>/", admissions.admission_edit, name="billing-admission-edit"),
]
