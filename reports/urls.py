from django.urls import path

from reports import views

urlpatterns = [
    path("dashboard/", views.staff_dashboard, name="staff-dashboard"),
    path("dashboard/network/", views.network_dashboard, name="network-dashboard"),
    path("reports/", views.report_index, name="reports"),
    path("reports/monthly/", views.monthly_summary, name="report-monthly"),
    path("reports/<slug:slug>/", views.report_detail, name="report-detail"),
    path(
        "reports/<slug:slug>/export.<str:fmt>",
        views.report_export,
        name="report-export",
    ),
]
